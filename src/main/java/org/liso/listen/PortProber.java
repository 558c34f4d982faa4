package org.liso.listen;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;

/**
 * Probes a port range on one {@link EventLoop}: non-blocking connects, at most {@code maxInFlight} at a time, each
 * with its own timer. TCP: connected → open, RST → refused, no answer → timed out. UDP: a datagram is sent
 * (one byte) to the connected socket; an ICMP port-unreachable (seen as PortUnreachableException on read) → refused, silence
 * → open|filtered (as nc -u says succeeded), a reply → open. Loop thread only.
 */
public final class PortProber {

    private final EventLoop loop;
    private final InetAddress address;
    private final boolean udp;
    private final long timeoutMillis;
    private final int maxInFlight;
    private final IntConsumer progress;
    private final List<ProbeResult> results = new ArrayList<>();
    private int[] ports;
    private int next;
    private int inFlight;
    private boolean filling;
    private Consumer<List<ProbeResult>> done;

    public PortProber(EventLoop loop, InetAddress address, boolean udp, long timeoutMillis, int maxInFlight,
            IntConsumer progress) {
        this.loop = loop;
        this.address = address;
        this.udp = udp;
        this.timeoutMillis = timeoutMillis;
        this.maxInFlight = maxInFlight;
        this.progress = progress;
    }

    /** Probes {@code from..to}; {@code whenDone} gets the results in port order. Loop thread only. */
    public void start(int from, int to, Consumer<List<ProbeResult>> whenDone) {
        int[] all = new int[to - from + 1];
        for (int i = 0; i < all.length; i++) {
            all[i] = from + i;
        }
        start(all, whenDone);
    }

    /** Probes {@code ports}; {@code whenDone} gets the results in port order. Loop thread only. */
    public void start(int[] ports, Consumer<List<ProbeResult>> whenDone) {
        this.ports = ports.clone();
        this.next = 0;
        this.done = whenDone;
        fill();
    }

    private void fill() {
        // A connect that finishes at once calls back into fill(); the flag turns that recursion into this loop.
        if (filling) {
            return;
        }
        filling = true;
        while (inFlight < maxInFlight && next < ports.length) {
            inFlight++;
            new Attempt(ports[next++]).begin();
        }
        filling = false;
        if (inFlight == 0 && next >= ports.length && done != null) {
            Consumer<List<ProbeResult>> d = done;
            done = null;
            results.sort(Comparator.comparingInt(ProbeResult::port));
            d.accept(results);
        }
    }

    private void finished(ProbeResult r) {
        results.add(r);
        inFlight--;
        progress.accept(results.size());
        fill();
    }

    /** One port's probe. */
    private final class Attempt implements Readiness {
        private final int port;
        private final long started = loop.now();
        private final Timer timer = loop.timer(this::timedOut);
        private AbstractSelectableChannel channel;
        private SelectionKey key;
        private boolean over;

        Attempt(int port) {
            this.port = port;
        }

        void begin() {
            InetSocketAddress target = new InetSocketAddress(address, port);
            try {
                if (udp) {
                    DatagramChannel ch = DatagramChannel.open();
                    channel = ch;
                    ch.configureBlocking(false);
                    ch.connect(target);
                    // One byte, as nc -zu sends: the JDK does not send an empty datagram at all.
                    ch.write(ByteBuffer.wrap(new byte[] {'X'}));
                    key = loop.register(ch, SelectionKey.OP_READ, this);
                } else {
                    SocketChannel ch = SocketChannel.open();
                    channel = ch;
                    ch.configureBlocking(false);
                    if (ch.connect(target)) {
                        end(ProbeResult.Status.OPEN, "");
                        return;
                    }
                    key = loop.register(ch, SelectionKey.OP_CONNECT, this);
                }
                timer.schedule(timeoutMillis);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void ready(int readyOps) {
            try {
                if (udp) {
                    int n = ((DatagramChannel) channel).read(ByteBuffer.allocate(1));
                    if (n >= 0) {
                        end(ProbeResult.Status.OPEN, "");
                    }
                } else if (((SocketChannel) channel).finishConnect()) {
                    end(ProbeResult.Status.OPEN, "");
                }
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void failed(RuntimeException fault) {
            end(ProbeResult.Status.ERROR, fault.toString());
        }

        private void timedOut() {
            end(udp ? ProbeResult.Status.OPEN_OR_FILTERED : ProbeResult.Status.TIMED_OUT, "");
        }

        private void fail(IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof PortUnreachableException || e instanceof ConnectException
                    && m.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                end(ProbeResult.Status.REFUSED, "Connection refused");
            } else if (e instanceof NoRouteToHostException) {
                end(ProbeResult.Status.UNREACHABLE, m);
            } else {
                end(ProbeResult.Status.ERROR, m);
            }
        }

        private void end(ProbeResult.Status status, String detail) {
            if (over) {
                return;
            }
            over = true;
            timer.cancel();
            if (key != null) {
                key.cancel();
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the probe is over either way
                }
            }
            finished(new ProbeResult(port, status, detail, loop.now() - started));
        }
    }
}
