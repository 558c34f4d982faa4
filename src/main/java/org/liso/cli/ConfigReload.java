package org.liso.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.liso.Log;
import picocli.CommandLine;

/**
 * SIGHUP with {@code --config}: the file is merged with the same command line again, and each key whose value
 * changed is applied by whoever registered it ({@link #on}) or, with nobody to apply it, kept as it was and named in
 * one warning: "these need a restart". A file that no longer reads (a typo in it) changes nothing and says why; a
 * change that cannot be applied (a site root that is gone) keeps the old value and says why.
 *
 * <p>Runs on the signal thread, one SIGHUP at a time; what an applier changes must be safe for the loop to read
 * (a volatile reference to something immutable).
 *
 * @param <C> the command type, parsed anew on each reload
 */
final class ConfigReload<C> implements Runnable {
    private static final String LOG = "config";

    private final ConfigFlags.Source source;
    private final Supplier<C> fresh;
    private final Map<Set<String>, Consumer<C>> appliers = new LinkedHashMap<>();
    private Map<String, List<String>> current;

    /** @param current each key's value now, as {@link ConfigPrinter#values} gives it */
    ConfigReload(ConfigFlags.Source source, Supplier<C> fresh, Map<String, List<String>> current) {
        this.source = source;
        this.fresh = fresh;
        this.current = new HashMap<>(current);
    }

    /** When any of {@code keys} changed, {@code apply} gets the newly parsed command (and may throw CliFailure). */
    synchronized ConfigReload<C> on(Set<String> keys, Consumer<C> apply) {
        appliers.put(Set.copyOf(keys), apply);
        return this;
    }

    @Override
    public synchronized void run() {
        C next = fresh.get();
        CommandLine cl;
        try {
            cl = ConfigFlags.parse(next, source);
        } catch (CliFailure e) {
            Log.error(LOG, "SIGHUP: configuration not re-read, nothing changed", "file", source.file(), "error",
                    e.getMessage().replace('\n', ' '));
            return;
        }
        Map<String, List<String>> values = ConfigPrinter.values(cl.getCommandSpec());
        Set<String> changed = new LinkedHashSet<>();
        values.forEach((k, v) -> {
            if (!Objects.equals(current.get(k), v)) {
                changed.add(k);
            }
        });
        if (changed.isEmpty()) {
            Log.info(LOG, "SIGHUP: configuration re-read, nothing changed", "file", source.file());
            return;
        }
        List<String> applied = new ArrayList<>();
        Set<String> handled = new LinkedHashSet<>();
        appliers.forEach((keys, apply) -> {
            List<String> mine = changed.stream().filter(keys::contains).toList();
            if (mine.isEmpty()) {
                return;
            }
            handled.addAll(mine);
            try {
                apply.accept(next);
                applied.addAll(mine);
                mine.forEach(k -> current.put(k, values.get(k)));
            } catch (CliFailure | IllegalArgumentException e) {
                Log.error(LOG, "SIGHUP: not applied, the previous value stays", "keys", String.join(",", mine),
                        "error", e.getMessage());
            }
        });
        List<String> ignored = changed.stream().filter(k -> !handled.contains(k)).toList();
        Log.info(LOG, "SIGHUP: configuration re-read", "file", source.file(), "applied",
                applied.isEmpty() ? "none" : String.join(",", applied));
        if (!ignored.isEmpty()) {
            Log.warn(LOG, "SIGHUP: ignored, these take a restart", "keys", String.join(",", ignored));
        }
    }
}
