package org.liso.cgi;

/**
 * How a {@link CgiRun}'s script is started and its three pipes moved: by pump threads ({@link PumpIo}, the JDK's
 * blocking streams) or by the loop itself ({@link LoopIo}, selectable pipes). Either reports to the run: the process
 * started or could not, the head and body of its output (through {@link ScriptOutput}), its exit, and each of its
 * parts ending.
 */
interface ScriptIo {

    /** Loop thread, once the run's timer is armed: starts the script and moving its pipes. */
    void start();

    /**
     * Loop thread, from the run's timer: true when stderr has a reader, so the timer may sleep until the timeout;
     * false asks to be called again soon (a pump may still have to be given to it).
     */
    boolean stderrRead();

    /** Any thread: stop feeding stdin (the script is gone or being killed); the rest of the body is dropped. */
    void stopInput();

    /** Any thread: the script is being killed, so its output is not wanted any more (a paused reader stops). */
    void killed();

    /** Every part has ended: closes what is still open of the pipes. Any thread. */
    void close();
}
