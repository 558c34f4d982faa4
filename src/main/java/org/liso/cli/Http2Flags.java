package org.liso.cli;

import org.liso.http2.SessionLimits;
import org.liso.server.Http2Options;
import picocli.CommandLine.Option;

/** The HTTP/2 options of {@code liso serve} (RFC 9113); {@code lisod} stays HTTP/1.1 only. */
final class Http2Flags {
    private static final SessionLimits D = SessionLimits.DEFAULTS;

    @Option(names = "--no-h2", description = "Speak HTTP/1.1 only: no h2 offered by ALPN, no cleartext HTTP/2.")
    boolean noH2;

    @Option(names = "--h2c", negatable = true, description = {"HTTP/2 by prior knowledge on the plain listener",
            "(curl --http2-prior-knowledge). Default: on in the no-argument demo, off otherwise."})
    Boolean h2c;

    @Option(names = "--h2-max-streams", paramLabel = "N",
            description = "Concurrent HTTP/2 streams per connection; more are refused (default: ${DEFAULT-VALUE}).")
    int maxStreams = D.maxConcurrentStreams();

    @Option(names = "--h2-max-header-list", paramLabel = "SIZE",
            description = "Largest HTTP/2 request header list, 431 beyond (default: ${DEFAULT-VALUE}).")
    Size maxHeaderList = new Size(D.maxHeaderListSize());

    @Option(names = "--h2-max-frame", paramLabel = "SIZE",
            description = "Largest HTTP/2 frame read, 16k to 16M-1 (default: ${DEFAULT-VALUE}).")
    Size maxFrame = new Size(D.maxFrameSize());

    /** @param demo the no-argument demo, which turns h2c on unless told otherwise */
    Http2Options options(boolean demo) {
        if (noH2) {
            if (Boolean.TRUE.equals(h2c)) {
                throw new CliFailure(ExitCodes.USAGE, "--no-h2 and --h2c exclude each other");
            }
            return Http2Options.OFF;
        }
        if (maxStreams < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--h2-max-streams must be at least 1, was " + maxStreams);
        }
        int frame = maxFrame.toInt("--h2-max-frame");
        if (frame < 16_384 || frame > 16_777_215) {
            throw new CliFailure(ExitCodes.USAGE, "--h2-max-frame must be from 16k to 16M-1 (RFC 9113 §6.5.2), was "
                    + maxFrame);
        }
        int headerList = maxHeaderList.toInt("--h2-max-header-list");
        if (headerList < 1024) {
            throw new CliFailure(ExitCodes.USAGE, "--h2-max-header-list must be at least 1k, was " + maxHeaderList);
        }
        SessionLimits limits = new SessionLimits(maxStreams, frame, D.streamWindow(), D.connectionWindow(),
                D.headerTableSize(), headerList, Math.max(D.maxHeaderBlock(), headerList * 2), D.abuseBudget());
        return new Http2Options(true, h2c != null ? h2c : demo, limits);
    }
}
