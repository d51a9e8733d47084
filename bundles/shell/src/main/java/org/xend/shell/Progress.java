package org.xend.shell;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * Shows that long work is under way: on a terminal, a spinner after a label while the work runs, then the label
 * again with {@code done} or {@code failed}. Without a terminal it prints nothing, so scripted output stays exactly
 * the command's own.
 */
final class Progress {

    /** Prints nothing: the output is not a terminal. */
    static final Progress SILENT = new Progress(null, 0);

    private static final String FRAMES = "|/-\\";

    private final PrintStream console;
    private final long frameMillis;

    /** A spinner on {@code console}, one frame every {@code frameMillis}. */
    Progress(PrintStream console, long frameMillis) {
        this.console = console;
        this.frameMillis = frameMillis;
    }

    boolean visible() {
        return console != null;
    }

    <T> T run(String label, Callable<T> work) throws Exception {
        if (console == null) {
            return work.call();
        }
        Spinner spinner = new Spinner(label);
        Thread thread = new Thread(spinner, "xm-progress");
        thread.setDaemon(true);
        thread.start();
        boolean done = false;
        try {
            T result = work.call();
            done = true;
            return result;
        } finally {
            spinner.stop();
            thread.interrupt();
            awaitEnd(thread);
            synchronized (console) {
                console.print("\r" + label + " ... " + (done ? "done" : "failed") + "\n");
                console.flush();
            }
        }
    }

    /** The spinner stops at once when interrupted; an interrupt of the caller meanwhile is kept for the caller. */
    private static void awaitEnd(Thread spinner) {
        boolean interrupted = false;
        while (spinner.isAlive()) {
            try {
                spinner.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void run(String label, ThrowingRunnable work) throws Exception {
        run(label, () -> {
            work.run();
            return null;
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private final class Spinner implements Runnable {
        private final String label;
        private volatile boolean stopped;

        Spinner(String label) {
            this.label = label;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            for (int frame = 0; !stopped; frame++) {
                synchronized (console) {
                    if (stopped) {
                        return;
                    }
                    console.print("\r" + label + " ... " + FRAMES.charAt(frame % FRAMES.length()));
                    console.flush();
                }
                try {
                    Thread.sleep(frameMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
