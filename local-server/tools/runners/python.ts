/**
 * The Python kernel, run as `python3 -u -c PYTHON_KERNEL <token>`. Embedded as a string so it
 * ships inside dist/ with no copy step. Protocol: see tools/kernels/protocol.ts.
 *
 * One namespace lives for the kernel's lifetime, so variables, imports and definitions persist
 * between cells. The last statement, when it is an expression with a non-None value, is the main
 * result; `display(obj)` (builtin, and IPython.display's when IPython is installed) adds others;
 * open matplotlib figures become image/png results at the end of a cell or on `plt.show()`.
 * With IPython installed its DisplayFormatter renders objects (pandas DataFrames as text/html,
 * `_repr_mimebundle_`, ...); without it the `_repr_*_` methods are called directly.
 */
export const PYTHON_KERNEL = String.raw`
import ast, base64, builtins, importlib.abc, importlib.machinery, importlib.util, io, json, linecache, os, signal, sys, traceback

_TOKEN = sys.argv[1]
sys.argv = ['']
_stdin = sys.stdin.buffer
sys.stdin = open(os.devnull)
_results = []
_cell = [0]
_MIMES = (
    ('_repr_html_', 'text/html'),
    ('_repr_markdown_', 'text/markdown'),
    ('_repr_latex_', 'text/latex'),
    ('_repr_svg_', 'image/svg+xml'),
    ('_repr_png_', 'image/png'),
    ('_repr_jpeg_', 'image/jpeg'),
    ('_repr_json_', 'application/json'),
)
_KNOWN = set(m for _, m in _MIMES) | {'text/plain'}

def _clean(data):
    out = {}
    for mime, value in data.items():
        if mime not in _KNOWN and not mime.startswith('application/vnd.'):
            continue
        if isinstance(value, (bytes, bytearray)):
            value = base64.b64encode(bytes(value)).decode('ascii')
        if mime == 'application/json' or mime.startswith('application/vnd.'):
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                continue
        elif not isinstance(value, str):
            continue
        out[mime] = value
    return out

def _formatter():
    # IPython's formatter only once the cell has imported IPython: importing it for every kernel
    # would cost each session start time and memory; without it the _repr_*_ methods serve.
    if 'IPython' not in sys.modules:
        return None
    global _ipython_formatter
    if _ipython_formatter is None:
        try:
            from IPython.core.formatters import DisplayFormatter
            _ipython_formatter = DisplayFormatter()
        except Exception:
            _ipython_formatter = False
    return _ipython_formatter or None

_ipython_formatter = None

def _plain_bundle(obj):
    data = {}
    try:
        data['text/plain'] = repr(obj)
    except Exception as exc:
        data['text/plain'] = '<repr failed: %s: %s>' % (type(exc).__name__, exc)
    if isinstance(obj, type):  # a class has the methods too, but unbound
        return data
    bundle = getattr(obj, '_repr_mimebundle_', None)
    if callable(bundle):
        try:
            value = bundle(include=None, exclude=None)
            if isinstance(value, tuple) and len(value) == 2:
                value = value[0]
            if isinstance(value, dict):
                data.update(value)
        except Exception:
            pass
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
        if value is not None:
            data[mime] = value
    return data

def _bundle(obj, main):
    data = None
    formatter = _formatter()
    if formatter is not None:
        try:
            data, _meta = formatter.format(obj)
        except Exception:
            data = None
    data = _clean(data or _plain_bundle(obj))
    if main:
        data['isMainResult'] = True
    return data

def display(*objs, **kwargs):
    raw = kwargs.get('raw', False)
    for obj in objs:
        if raw and isinstance(obj, dict):
            _results.append(_clean(obj))
        else:
            _results.append(_bundle(obj, False))

builtins.display = display

def _patch_ipython(module):
    module.display = display
    if hasattr(module, 'clear_output'):
        module.clear_output = lambda *a, **k: None

def _inline_matplotlib(module):
    # Set here rather than through MPLBACKEND, which the cell's subprocesses would inherit
    # without the backend module (they get Agg).
    module.use('module://agentbay_inline')

class _PostImport(importlib.abc.MetaPathFinder):
    # Modules patched right after they load: IPython's display() without a running IPython shell
    # prints a repr, so it becomes the kernel's; matplotlib gets the inline backend.
    PATCHES = {
        'IPython.display': _patch_ipython,
        'IPython.core.display_functions': _patch_ipython,
        'matplotlib': _inline_matplotlib,
    }
    def find_spec(self, name, path=None, target=None):
        patch = self.PATCHES.get(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        def exec_and_patch(module):
            exec_module(module)
            try:
                patch(module)
            except Exception:
                pass
        spec.loader.exec_module = exec_and_patch
        return spec
sys.meta_path.insert(0, _PostImport())

def _emit_figures():
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is None:
        return
    for num in plt.get_fignums():
        fig = plt.figure(num)
        buf = io.BytesIO()
        fig.savefig(buf, format='png', bbox_inches='tight')
        _results.append({'text/plain': repr(fig), 'image/png': base64.b64encode(buf.getvalue()).decode('ascii')})
    plt.close('all')

# A matplotlib backend (module://agentbay_inline) that draws with Agg and turns
# plt.show() into image results, as the notebook's inline backend does.
class _InlineBackend(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == 'agentbay_inline' else None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        # Imported by matplotlib only once it loads a backend, so the import below is affordable.
        import matplotlib.backends.backend_agg as agg
        module.__dict__.update({k: v for k, v in vars(agg).items() if not k.startswith('__')})
        module.show = lambda *a, **k: _emit_figures()
sys.meta_path.insert(0, _InlineBackend())

def _format_error(exc, filename):
    tb = traceback.TracebackException.from_exception(exc)
    # Keep only the user's frames: the kernel's own are noise.
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename.startswith('<cell-')])
    head = '%s: %s' % (type(exc).__name__, exc)
    body = ''.join(tb.format()).rstrip('\n')
    return head + ('\n' + body if body else '')

_namespace = {'__name__': '__main__', '__builtins__': builtins, 'display': display}

def _run(code):
    _cell[0] += 1
    filename = '<cell-%d>' % _cell[0]
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    error = ''
    try:
        tree = ast.parse(code, filename)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, filename, 'exec'), _namespace)
        if last is not None:
            value = eval(compile(last, filename, 'eval'), _namespace)
            if value is not None:
                _namespace['_'] = value
                _results.append(_bundle(value, True))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = 'SystemExit: %s' % (exc.code,)
    except BaseException as exc:
        error = _format_error(exc, filename)
    try:
        _emit_figures()
    except BaseException:
        pass
    return error

def _read_request():
    lines = []
    while True:
        line = _stdin.readline()
        if not line:
            return None
        text = line.decode('utf-8', 'replace')
        if text.startswith(_TOKEN + ' '):
            code = ''.join(lines)
            return code[:-1] if code.endswith('\n') else code
        lines.append(text)

def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

def _reply(message):
    # The token ends the cell's output on both streams; the reply follows it on stdout.
    try:
        payload = json.dumps(message)
    except (TypeError, ValueError) as exc:
        payload = json.dumps({'results': [], 'error': 'ResultError: %s' % exc})
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    _write_all(2, _TOKEN.encode('ascii'))
    _write_all(1, (_TOKEN + payload + '\n').encode('utf-8'))

def _main():
    signal.signal(signal.SIGINT, signal.default_int_handler)  # pid 1 in the sandbox: set it explicitly
    _reply({'ready': True, 'version': sys.version.split()[0]})
    while True:
        try:
            code = _read_request()
        except KeyboardInterrupt:
            continue  # an interrupt that arrived between cells
        if code is None:
            return
        del _results[:]
        try:
            error = _run(code)
        except KeyboardInterrupt:
            error = 'KeyboardInterrupt'
        _reply({'results': list(_results), 'error': error})

_main()
`;
