/**
 * Rich outputs of the Python kernel in the multi-format shape the SDKs parse (`result` items keyed
 * by MIME type): display(), IPython display objects, pandas DataFrames, matplotlib figures.
 * Needs the code image's Debian packages (python3-ipython, -pandas, -matplotlib; CI installs them).
 */
import assert from 'node:assert/strict';
import { harness, json, MODES, okText, type Harness } from '../../../support/sandbox';

interface CodeOut {
  result: string[];
  stdout: string[];
  executionError: string;
}

type Bundle = Record<string, unknown>;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

for (const mode of MODES) {
  describe(`run_code rich outputs (${mode})`, function () {
    this.timeout(120000);
    let h: Harness;
    before(async () => {
      h = await harness(mode);
    });
    after(async () => h.cleanup());

    async function run(code: string): Promise<{ out: CodeOut; bundles: Bundle[] }> {
      const out = json<CodeOut>(okText(await h.ws.callTool('run_code', { code, language: 'python', timeout_s: 90 })));
      assert.equal(out.executionError, '');
      return { out, bundles: out.result.map((r) => json<Bundle>(r)) };
    }

    it('display() of IPython HTML, Markdown and SVG objects gives one result each, by MIME type', async () => {
      const { bundles } = await run([
        'from IPython.display import display, HTML, Markdown, SVG',
        'display(HTML("<h1>Hello HTML</h1>"))',
        'display(Markdown("# Hello Markdown"))',
        `display(SVG('<svg xmlns="http://www.w3.org/2000/svg" height="10" width="10"><circle cx="5" cy="5" r="4"/></svg>'))`,
      ].join('\n'));
      assert.equal(bundles.length, 3);
      assert.equal(bundles[0]!['text/html'], '<h1>Hello HTML</h1>');
      assert.equal(bundles[1]!['text/markdown'], '# Hello Markdown');
      assert.match(String(bundles[2]!['image/svg+xml']), /^<svg[^>]*>/);
      assert.ok(bundles.every((b) => b.isMainResult === undefined), 'display() results are not the main result');
    });

    it('_repr_mimebundle_ charts keep their Vega-Lite MIME type', async () => {
      const { bundles } = await run([
        'class Chart:',
        '    def _repr_mimebundle_(self, include=None, exclude=None):',
        '        return {"application/vnd.vegalite.v5+json": {"mark": "bar"}, "text/plain": "Chart"}',
        'display(Chart())',
      ].join('\n'));
      assert.deepEqual(bundles, [{ 'application/vnd.vegalite.v5+json': { mark: 'bar' }, 'text/plain': 'Chart' }]);
    });

    it('a pandas DataFrame as the last expression is the main result in text/plain and text/html', async () => {
      const { bundles } = await run('import pandas as pd\ndf = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})\ndf');
      assert.equal(bundles.length, 1);
      const [frame] = bundles;
      assert.equal(frame!.isMainResult, true);
      assert.match(String(frame!['text/plain']), /a\s+b\n0\s+1\s+x\n1\s+2\s+y/);
      assert.match(String(frame!['text/html']), /<table[^>]*class="dataframe"/);
    });

    it('a matplotlib figure comes back as image/png on plt.show(), and open figures at the end of a cell', async () => {
      const shown = await run('import matplotlib.pyplot as plt\nplt.figure()\nplt.plot([1, 2, 3])\nplt.show()\nprint("after show")');
      assert.deepEqual(shown.out.stdout, ['after show\n']);
      assert.equal(shown.bundles.length, 1);
      assert.deepEqual(Buffer.from(String(shown.bundles[0]!['image/png']), 'base64').subarray(0, 8), PNG_MAGIC);
      const open = await run('plt.plot([3, 1])\n"done"');
      const png = open.bundles.find((b) => b['image/png'] !== undefined);
      assert.ok(png, 'the open figure is a result');
      assert.deepEqual(Buffer.from(String(png['image/png']), 'base64').subarray(0, 8), PNG_MAGIC);
      assert.equal(open.bundles.find((b) => b.isMainResult === true)!['text/plain'], "'done'");
    });
  });
}
