/**
 * Java snippets run in single-file source mode (`java Main.java`, JDK 11+), which compiles in
 * memory and runs the first top-level class. Bare statements get wrapped in a `Main.main`.
 */
const DECLARES_TYPE = /\b(class|interface|enum|record)\s+[A-Za-z_$][\w$]*/;
const IMPORT_LINE = /^\s*import\s+(static\s+)?[\w.]+(\.\*)?\s*;\s*$/;

export function javaSource(code: string): string {
  if (DECLARES_TYPE.test(code)) return code;
  const lines = code.split('\n');
  const imports: string[] = [];
  let i = 0;
  // Leading imports (and blank lines between them) must stay outside the generated class.
  while (i < lines.length && (IMPORT_LINE.test(lines[i]!) || lines[i]!.trim() === '')) {
    if (lines[i]!.trim() !== '') imports.push(lines[i]!);
    i++;
  }
  const body = lines.slice(i).join('\n');
  return [
    ...imports,
    'public class Main {',
    '    public static void main(String[] args) throws Exception {',
    body,
    '    }',
    '}',
    '',
  ].join('\n');
}

/** JVM flags that favour start-up time for short snippets. */
export const JAVA_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];
