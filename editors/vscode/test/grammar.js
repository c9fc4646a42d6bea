// Tokenizes a spec with the TextMate grammar, as VS Code does (vscode-textmate with the
// Oniguruma regex engine), and checks the scopes of its parts. `npm run test-grammar`.
'use strict';

const fs = require('fs');
const path = require('path');
const assert = require('assert');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const wasm = fs.readFileSync(path.join(require.resolve('vscode-oniguruma'), '..', 'onig.wasm')).buffer;

async function main() {
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(
        fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'perfspec.tmLanguage.json'), 'utf8'),
        'perfspec.tmLanguage.json'
      ),
  });
  const grammar = await registry.loadGrammar('source.perfspec');
  const spec = [
    '# 2026 年度项目绩效目标',
    '年度 2026',
    '模板 财政部2021',
    '计量单位 株 计数',
    '项目 热线服务保障经费 {',
    '  性质 其他经常性项目',
    '  期间 2026-01-01 至 2026-12-31',
    '  资金 {',
    '    当年财政拨款 1,813,200.00',
    '  }',
    '  年度总体目标 """',
    '    上海市 12345 热线 # 不是注释',
    '  """',
    '  经济成本 前端诉件受理成本控制情况 ≤ 72.00 万元',
    '  数量 "名称中含 ≥ 的指标" ≥ 1 次  # perfspec: allow PS307',
    '  进度 𠀋 办结 ≤ 2026-11-30',
    '}',
  ];
  const scopes = {};
  let state = vsctm.INITIAL;
  spec.forEach((line, n) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      (scopes[n] = scopes[n] || []).push([text, t.scopes[t.scopes.length - 1]]);
    }
    state = r.ruleStack;
  });
  const scopeOf = (n, text) => {
    const hit = (scopes[n] || []).find(([t]) => t === text);
    assert.ok(hit, `line ${n}: no token ${JSON.stringify(text)} in ${JSON.stringify(scopes[n])}`);
    return hit[1];
  };
  const expect = (n, text, scope) =>
    assert.ok(scopeOf(n, text).startsWith(scope), `line ${n} ${text}: ${scopeOf(n, text)} is not ${scope}`);
  assert.ok(scopes[0].every(([, s]) => s.startsWith('comment') || s.startsWith('punctuation.definition.comment')));
  expect(1, '年度', 'keyword.other.key');
  expect(1, '2026', 'constant.numeric');
  expect(2, '模板', 'keyword.other.key');
  expect(3, '株', 'support.constant.unit');
  expect(4, '项目', 'keyword.other.project');
  expect(4, '热线服务保障经费', 'entity.name.section');
  expect(5, '性质', 'keyword.other.key');
  expect(6, '2026-01-01', 'constant.other.date');
  expect(7, '资金', 'keyword.other.key');
  expect(8, '1,813,200.00', 'constant.numeric');
  expect(10, '"""', 'punctuation.definition.string.begin');
  assert.ok(scopes[11].every(([, s]) => s.startsWith('string.unquoted.block')), JSON.stringify(scopes[11]));
  expect(13, '经济成本', 'entity.name.type.category');
  expect(13, '≤', 'keyword.operator.comparison');
  expect(13, '72.00', 'constant.numeric');
  expect(13, '万元', 'support.constant.unit');
  expect(14, '"名称中含 ≥ 的指标"', 'string.quoted.double');
  expect(14, 'PS307', 'constant.language.code');
  expect(15, '进度', 'entity.name.type.category.legacy');
  expect(15, '2026-11-30', 'constant.other.date');
  expect(16, '}', 'punctuation.section.block.end');
  console.log(`grammar: ${spec.length} lines tokenized, scopes as expected`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
