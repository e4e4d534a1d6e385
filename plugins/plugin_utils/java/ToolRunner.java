// KafkaPilot: run several Kafka CLI tools in one JVM, started once, classes loaded once.
//
// The collection module sends this source to the host and runs it with
// `java --source 11 /proc/self/fd/N` from an in-memory file (memfd): it is compiled in memory and
// nothing is written on the host. Arguments: TIMEOUT_SECONDS THREADS, then per tool:
// ID MAIN_CLASS ARGC ARG... Each tool's stdout and stderr are captured apart (per thread), and
// Kafka's Exit procedure is replaced so that a tool's exit(code) ends only that tool: its first
// exit code is its result. Output, one line per tool as it ends (an empty output: an empty field):
//   @@KPT id rc seconds base64(stdout) base64(stderr)
// A tool whose failed output matches the system property `kafkapilot.retry.ID` = ATTEMPTS:REGEX is
// run again, up to ATTEMPTS times in all (kafka-acls: a broker without an authorizer may answer).
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class ToolRunner {
    static final class ExitCalled extends RuntimeException {
        final int code;
        ExitCalled(int code) { super("exit " + code, null, false, false); this.code = code; }
    }

    static final class Capture {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream[] streams = {new PrintStream(out, true), new PrintStream(err, true)};
        volatile Integer firstExit;
    }

    static final InheritableThreadLocal<Capture> CAPTURE = new InheritableThreadLocal<>();

    static final class Router extends PrintStream {
        final PrintStream fallback;
        final int which;
        Router(PrintStream fallback, int which) { super(fallback, true); this.fallback = fallback; this.which = which; }
        PrintStream target() { Capture c = CAPTURE.get(); return c == null ? fallback : c.streams[which]; }
        @Override public void write(int b) { target().write(b); }
        @Override public void write(byte[] b, int off, int len) { target().write(b, off, len); }
        @Override public void flush() { target().flush(); }
    }

    static void installExit() throws Exception {
        Class<?> exit = null;
        for (String name : new String[]{"org.apache.kafka.common.utils.internals.Exit", "org.apache.kafka.common.utils.Exit"}) {
            try { exit = Class.forName(name); break; } catch (ClassNotFoundException e) { /* next */ }
        }
        if (exit == null) throw new ClassNotFoundException("org.apache.kafka.common.utils[.internals].Exit");
        Class<?> procedure = Class.forName(exit.getName() + "$Procedure");
        Object thrower = Proxy.newProxyInstance(procedure.getClassLoader(), new Class<?>[]{procedure}, (proxy, method, args) -> {
            if (!method.getName().equals("execute")) return null;
            int code = (Integer) args[0];
            Capture c = CAPTURE.get();
            if (c != null && c.firstExit == null) c.firstExit = code;
            throw new ExitCalled(code);
        });
        exit.getMethod("setExitProcedure", procedure).invoke(null, thrower);
        try { exit.getMethod("setHaltProcedure", procedure).invoke(null, thrower); } catch (NoSuchMethodException e) { /* old */ }
    }

    static int run(String mainClass, String[] args, Capture capture) {
        CAPTURE.set(capture);
        try {
            Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
            return 0;
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof ExitCalled)) e.getCause().printStackTrace(capture.streams[1]);
            return 1;
        } catch (ExitCalled e) {
            return e.code;
        } catch (Throwable e) {
            e.printStackTrace(capture.streams[1]);
            return 1;
        }
    }

    /** ATTEMPTS:REGEX of kafkapilot.retry.ID, or null. */
    static String[] retry(String id) {
        String value = System.getProperty("kafkapilot.retry." + id);
        int colon = value == null ? -1 : value.indexOf(':');
        return colon < 1 ? null : new String[]{value.substring(0, colon), value.substring(colon + 1)};
    }

    static boolean matches(Capture capture, String regex) {
        String text = new String(capture.out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8) + "\n"
            + new String(capture.err.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        return java.util.regex.Pattern.compile(regex).matcher(text).find();
    }

    static String clean(byte[] err) {
        // a tool that catches Throwable prints our ExitCalled ("exit N" and its class): not its output
        StringBuilder kept = new StringBuilder();
        for (String line : new String(err, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.matches("^(exit -?\\d+|ToolRunner\\$ExitCalled.*|\\s+at ToolRunner.*)$")) continue;
            kept.append(line).append('\n');
        }
        return Base64.getEncoder().encodeToString(kept.toString().replaceAll("\n+$", "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void main(String[] argv) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        installExit();
        System.setOut(new Router(System.out, 0));
        System.setErr(new Router(System.err, 1));
        long timeout = Long.parseLong(argv[0]);
        int threads = Integer.parseInt(argv[1]);
        List<String[]> tools = new ArrayList<>();
        for (int i = 2; i < argv.length; ) {
            int argc = Integer.parseInt(argv[i + 2]);
            String[] tool = new String[2 + argc];
            tool[0] = argv[i];
            tool[1] = argv[i + 1];
            System.arraycopy(argv, i + 3, tool, 2, argc);
            tools.add(tool);
            i += 3 + argc;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (String[] tool : tools) {
            futures.add(pool.submit(() -> {
                String[] retry = retry(tool[0]);
                int attempts = retry == null ? 1 : Math.max(1, Integer.parseInt(retry[0]));
                long started = System.nanoTime();
                Capture capture;
                int rc;
                int attempt = 0;
                do {
                    capture = new Capture();
                    rc = run(tool[1], Arrays.copyOfRange(tool, 2, tool.length), capture);
                    if (capture.firstExit != null) rc = capture.firstExit;
                    attempt++;
                } while (rc != 0 && attempt < attempts && matches(capture, retry[1]));
                if (attempt > 1) {
                    capture.streams[1].println("kafkapilot: attempt " + attempt + " of " + attempts
                        + " (the earlier ones failed with " + retry[1] + ")");
                }
                String line = "@@KPT " + tool[0] + " " + rc + " " + String.format("%.3f", (System.nanoTime() - started) / 1e9)
                    + " " + Base64.getEncoder().encodeToString(capture.out.toByteArray()) + " " + clean(capture.err.toByteArray());
                synchronized (out) { out.println(line); out.flush(); }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) * Math.max(1, (tools.size() + threads - 1) / Math.max(1, threads));
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                synchronized (out) { out.println("@@KPT " + tools.get(i)[0] + " 124 " + timeout + " - -"); out.flush(); }
            }
        }
        Runtime.getRuntime().halt(0);
    }
}
