/**
 * Notebook-style Python runner, run as `python3 -u -c PYTHON_RUNNER` with the user's code on stdin.
 * Embedded as a string so it ships inside dist/ with no copy step.
 *
 * Protocol: the user's stdout/stderr stay untouched; results go to fd 3 as one JSON object
 * `{"results": [mime bundle, ...], "error": "<Name>: <message>\n<traceback>" | ""}`.
 * The last statement, when it is an expression with a non-None value, is the main result
 * (`text/plain` = repr plus any `_repr_*_` the object offers); `display(obj)` adds other results.
 */
export const PYTHON_RUNNER = String.raw`
import ast, base64, builtins, io, json, linecache, os, sys, traceback

_channel = os.fdopen(3, 'w', encoding='utf-8')
_results = []
_FILENAME = '<cell>'
_MIMES = (
    ('_repr_html_', 'text/html'),
    ('_repr_markdown_', 'text/markdown'),
    ('_repr_latex_', 'text/latex'),
    ('_repr_svg_', 'image/svg+xml'),
    ('_repr_png_', 'image/png'),
    ('_repr_jpeg_', 'image/jpeg'),
    ('_repr_json_', 'application/json'),
)

def _bundle(obj, main):
    data = {}
    try:
        data['text/plain'] = repr(obj)
    except Exception as exc:
        data['text/plain'] = '<repr failed: %s: %s>' % (type(exc).__name__, exc)
    if not isinstance(obj, type):  # a class has the methods too, but unbound
        for method, mime in _MIMES:
            fn = getattr(obj, method, None)
            if not callable(fn):
                continue
            try:
                value = fn()
            except Exception:
                continue
            if isinstance(value, tuple) and len(value) == 2:
                value = value[0]  # (data, metadata) form
            if value is None:
                continue
            if mime in ('image/png', 'image/jpeg'):
                if isinstance(value, (bytes, bytearray)):
                    value = base64.b64encode(bytes(value)).decode('ascii')
                elif not isinstance(value, str):
                    continue
            elif mime == 'application/json':
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    continue
            elif not isinstance(value, str):
                continue
            data[mime] = value
    if main:
        data['isMainResult'] = True
    return data

def display(*objs, **kwargs):
    for obj in objs:
        _results.append(_bundle(obj, False))

builtins.display = display

def _collect_figures():
    # Open matplotlib figures become results, as with the notebook inline backend.
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is None:
        return
    for num in plt.get_fignums():
        fig = plt.figure(num)
        buf = io.BytesIO()
        fig.savefig(buf, format='png', bbox_inches='tight')
        _results.append({'text/plain': repr(fig), 'image/png': base64.b64encode(buf.getvalue()).decode('ascii')})
    plt.close('all')

def _format_error(exc):
    tb = traceback.TracebackException.from_exception(exc)
    # Keep only the user's frames: the runner's own are noise.
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename == _FILENAME])
    head = '%s: %s' % (type(exc).__name__, exc)
    return head + '\n' + ''.join(tb.format()).rstrip('\n')

def _main():
    code = sys.stdin.buffer.read().decode('utf-8', 'replace')
    sys.stdin = open(os.devnull)
    sys.argv = ['']
    linecache.cache[_FILENAME] = (len(code), None, code.splitlines(True), _FILENAME)
    namespace = {'__name__': '__main__', '__builtins__': builtins, 'display': display}
    error = ''
    try:
        tree = ast.parse(code, _FILENAME)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, _FILENAME, 'exec'), namespace)
        if last is not None:
            value = eval(compile(last, _FILENAME, 'eval'), namespace)
            if value is not None:
                _results.append(_bundle(value, True))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = 'SystemExit: %s' % (exc.code,)
    except BaseException as exc:
        error = _format_error(exc)
    try:
        _collect_figures()
    except Exception:
        pass
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    try:
        payload = json.dumps({'results': _results, 'error': error})
    except (TypeError, ValueError) as exc:
        payload = json.dumps({'results': [], 'error': 'ResultError: %s' % exc})
    _channel.write(payload)
    _channel.close()

_main()
`;
