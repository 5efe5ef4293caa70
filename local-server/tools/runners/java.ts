/**
 * The Java kernel: a small program around the JDK's JShell API (module jdk.jshell), run in
 * single-file source mode (`java AgentbayJavaKernel.java <token>`). Protocol: see
 * tools/kernels/protocol.ts.
 *
 * JShell executes in the kernel's own JVM ("local" execution engine), so `System.out` is the
 * kernel's stdout and one JVM serves the session. Declarations (variables, methods, classes,
 * imports) persist between cells, as in the `jshell` tool; the value of a cell's last expression
 * is its main result. SIGINT stops the running cell (JShell.stop).
 */
export const JAVA_KERNEL_CLASS = 'AgentbayJavaKernel';

export const JAVA_KERNEL = String.raw`
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import jdk.jshell.*;

public class AgentbayJavaKernel {
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static void reply(String token, String body) {
        System.out.flush();
        System.err.flush();
        System.err.print(token);
        System.err.flush();
        System.out.print(token + body + "\n");
        System.out.flush();
    }

    static String describe(Throwable t) {
        if (t instanceof EvalException) {
            EvalException e = (EvalException) t;
            return e.getExceptionClassName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (t instanceof UnresolvedReferenceException) {
            return "UnresolvedReferenceException: " + ((UnresolvedReferenceException) t).getSnippet().source().trim();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    static String stack(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().startsWith("REPL.")) b.append("\n\tat ").append(f);
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        String token = args[args.length - 1];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        JShell shell = JShell.builder().executionEngine("local").out(System.out).err(System.err).build();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> shell.stop());
        } catch (Throwable ignored) {
            // no signal support: a timeout then restarts the kernel
        }
        shell.eval("int agentbayWarmUp = 0;");
        shell.drop(shell.snippets().filter(s -> s.source().contains("agentbayWarmUp")).findFirst().get());
        reply(token, "{\"ready\":true,\"version\":" + json(System.getProperty("java.version")) + "}");
        StringBuilder code = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.startsWith(token + " ")) {
                code.append(line).append('\n');
                continue;
            }
            String remaining = code.toString();
            code.setLength(0);
            String error = "";
            String mainValue = null;
            try {
                while (!remaining.trim().isEmpty() && error.isEmpty()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                    String source = info.source();
                    if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                            || info.completeness() == SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
                        if (source == null || source.isEmpty()) source = remaining;
                        if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                            error = "CompilationError: incomplete input: " + remaining.trim();
                            break;
                        }
                    }
                    remaining = info.remaining();
                    mainValue = null;
                    for (SnippetEvent event : shell.eval(source)) {
                        if (event.causeSnippet() != null) continue;
                        if (event.exception() != null) {
                            error = describe(event.exception()) + stack(event.exception());
                            break;
                        }
                        if (event.status() == Snippet.Status.REJECTED) {
                            StringBuilder b = new StringBuilder("CompilationError:");
                            shell.diagnostics(event.snippet()).forEach(d -> b.append(' ').append(d.getMessage(Locale.ROOT)));
                            error = b.toString();
                            break;
                        }
                        Snippet.Kind kind = event.snippet().kind();
                        if (event.value() != null && (kind == Snippet.Kind.EXPRESSION || kind == Snippet.Kind.VAR)
                                && (kind == Snippet.Kind.EXPRESSION || event.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)) {
                            mainValue = event.value();
                        }
                    }
                    if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
                }
            } catch (Throwable t) {
                error = "KernelError: " + t;
            }
            String results = mainValue == null ? "[]"
                : "[{\"text/plain\":" + json(mainValue) + ",\"isMainResult\":true}]";
            reply(token, "{\"results\":" + results + ",\"error\":" + json(error) + "}");
        }
        shell.close();
    }
}
`;

/** JVM flags that favour start-up time; jdk.internal.misc gives JShell.stop its signal handler. */
export const JAVA_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];
