//! Grammar-aware mutation of real specs, driven by fuzzer bytes.
//!
//! Random bytes almost never get past the first line of a `.perf` file, so most of the
//! checker, the formatter and the emitters stay unreached by a byte-level fuzzer. This
//! mutator starts from the specs in `specs/` and applies edits a person pasting from Word,
//! Excel or a PDF would make: lines deleted, duplicated, swapped or repeated; tokens of the
//! language (keywords, comparators, units, braces, `"""`) inserted or substituted; digits
//! turned full-width or into look-alikes; bidi and zero-width characters; line ends mixed.
//!
//! It uses std only, so `tests/robustness.rs` includes the same file (`#[path]`) and drives
//! it from proptest on the stable toolchain.

/// The specs mutations start from. Kept small so a mutated file parses quickly.
pub const SEEDS: &[&str] = &[
    include_str!("../../specs/shanghai-lhsr-xzfwzx-2026/01-行业信访安全应急专项.perf"),
    include_str!("../../specs/shanghai-lhsr-xzfwzx-2026/02-绿化市容行政服务工作.perf"),
    include_str!("../../specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf"),
    include_str!("../../specs/shanghai-lhsr-xzfwzx-2026/04-诉求处置督查督办.perf"),
    SMALL,
];

/// A compact spec with every kind of line, so that short inputs reach every construct.
const SMALL: &str = "# 小样例
年度 2026
主管部门 局
实施单位 中心
计量单位 株 计数

项目 \"含 { 的项目\" { # 注释
  项目性质 经常性专项业务费
  项目类别 特定目标类
  计划开始日期 2026/1/1
  计划完成日期 2026年12月31日
  项目资金 {
    项目资金总额 3,000,000.00
    年度资金申请总额 100.00 万元
    当年财政拨款 1,000,000.00
    其他资金 0
  }
  项目总目标 三年 目标
  年度目标 一行目标
  经济成本 成本 ≤ 100 万元
  数量 \"含 ≥ 的名称\" ≥ 1,000 株
  质量 合格率 90 ~ 100 %
  时效 完成时间 ≤ 2026-06-30
  时效 及时性 = 及时
  社会效益 比例 >= ９０．５ ％ # perfspec: allow PS307
  可持续影响 机制 = 健全
  满意度 满意度 ≥ 85 百分比
}
";

/// Tokens of the language and the characters that arrive with pasted text.
pub const TOKENS: &[&str] = &[
    // structure
    "项目 ",
    "{",
    "}",
    "\"\"\"",
    "\"",
    "\\",
    "#",
    " # perfspec: allow PS307",
    "# perfspec: allow",
    "资金 {",
    "项目资金 {",
    // keys
    "年度 ",
    "主管部门 ",
    "实施单位 ",
    "性质 ",
    "项目性质 ",
    "类别 ",
    "项目类别 ",
    "期间 ",
    "计划开始日期 ",
    "计划完成日期 ",
    "年度总体目标 ",
    "项目总目标 ",
    "总目标 ",
    "年度目标 ",
    "计量单位 ",
    "当年财政拨款 ",
    "上年结转资金 ",
    "其他资金 ",
    "年度资金申请总额 ",
    "项目资金总额 ",
    "其中：财政资金 ",
    // categories
    "数量 ",
    "质量 ",
    "时效 ",
    "经济成本 ",
    "社会成本 ",
    "生态环境成本 ",
    "经济效益 ",
    "社会效益 ",
    "生态效益 ",
    "可持续影响 ",
    "服务对象满意度 ",
    "满意度 ",
    "数量指标 ",
    "产出指标 ",
    "进度 ",
    // comparators, including look-alikes the grammar does not take
    "≥",
    "≤",
    "=",
    "==",
    ">",
    "<",
    ">=",
    "<=",
    "＝",
    "＞",
    "＜",
    "≧",
    "≦",
    "⩾",
    "⩽",
    "≽",
    "⪰",
    "≻",
    "＞＝",
    "=>",
    "≠",
    // values and units
    "0",
    "-1",
    "+1",
    "－5",
    "1,813,200.00",
    "1,23",
    "1__000",
    "１２３．４５",
    "0.5",
    "00",
    "99999999999999999999999999999",
    "79228162514264337593543950335",
    "0.00000000000000000000000000001",
    "1e5",
    "NaN",
    "∞",
    "٣",
    "۳",
    "𝟎",
    "Ｏ",
    "O",
    "l",
    "〇",
    "2026-01-01",
    "2026-02-30",
    "2026年1月1日",
    "9999-99-99",
    "0000-00-00",
    "2026/6/31",
    " 至 ",
    "~",
    "～",
    "--",
    "—",
    " ~ ",
    "万元",
    "元",
    "%",
    "％",
    "百分比",
    "件",
    "次",
    "小时",
    "小时/天",
    "元/份(册)",
    "元/份 (册)",
    "株",
    "份",
    "（",
    "）",
    "(",
    ")",
    "及时",
    "健全",
    "有效保障",
    // white space and line ends
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "\u{00A0}",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    // hidden and hostile characters
    "\u{202E}",
    "\u{2066}",
    "\u{2069}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{00AD}",
    "\u{0000}",
    "\u{001B}[31m",
    "\u{0085}",
    "\u{2028}",
    "\u{FFFD}",
    "😀",
    "e\u{0301}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "<p>",
    "&amp;",
    "{{ x }}",
    "{% if %}",
    "]]>",
    "'",
    "`",
];

/// A reader over the fuzzer's bytes; past the end every read is 0, so a short input makes
/// few edits.
struct Bytes<'a> {
    data: &'a [u8],
    i: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.i).copied().unwrap_or(0);
        self.i += 1;
        b
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = (usize::from(self.byte()) << 8) | usize::from(self.byte());
        v % n
    }
    fn done(&self) -> bool {
        self.i >= self.data.len()
    }
}

/// The largest text a mutation may produce: big enough for repeated blocks, small enough
/// that one run stays fast.
pub const MAX_LEN: usize = 32 * 1024;

/// Most edits one input may make.
const MAX_EDITS: usize = 64;

/// Build a mutated spec from fuzzer bytes. Deterministic: the same bytes, the same text.
pub fn mutate(data: &[u8]) -> String {
    let mut b = Bytes { data, i: 0 };
    let seed = SEEDS[b.below(SEEDS.len())];
    // Lines keep their line ends, so mixed endings survive the edits.
    let mut lines: Vec<String> = seed.split_inclusive('\n').map(str::to_string).collect();
    let mut edits = 0;
    while !b.done() && edits < MAX_EDITS {
        edits += 1;
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        let op = b.byte() % 14;
        let i = b.below(n);
        match op {
            0 => {
                lines.remove(i);
            }
            1 => {
                let j = b.below(n + 1);
                let l = lines[i].clone();
                lines.insert(j, l);
            }
            2 => {
                let j = b.below(n);
                lines.swap(i, j);
            }
            3 => {
                // Repeat a line (or a run of lines): deeply repeated blocks.
                let len = 1 + b.below(8).min(n - i - 1);
                let times = 1 + b.below(64);
                let run: Vec<String> = lines[i..i + len].to_vec();
                let at = i + len;
                let copies: Vec<String> = run.iter().cycle().take(len * times).cloned().collect();
                lines.splice(at..at, copies);
            }
            4 | 5 => {
                let tok = TOKENS[b.below(TOKENS.len())];
                let at = char_boundary(&lines[i], b.below(lines[i].len() + 1));
                lines[i].insert_str(at, tok);
            }
            6 => {
                // Replace a token that occurs in the line with another token.
                let from = TOKENS[b.below(TOKENS.len())];
                let to = TOKENS[b.below(TOKENS.len())];
                if let Some(at) = lines[i].find(from) {
                    lines[i].replace_range(at..at + from.len(), to);
                } else {
                    let at = char_boundary(&lines[i], b.below(lines[i].len() + 1));
                    lines[i].insert_str(at, to);
                }
            }
            7 => {
                // Substitute characters: full-width digits, look-alikes, removed spaces.
                let how = b.byte() % 6;
                lines[i] = lines[i].chars().map(|c| substitute(c, how)).collect();
            }
            8 => {
                let other = SEEDS[b.below(SEEDS.len())];
                let other: Vec<&str> = other.split_inclusive('\n').collect();
                let from = b.below(other.len());
                let len = 1 + b.below(6);
                let j = b.below(n + 1);
                let copies: Vec<String> = other
                    .iter()
                    .skip(from)
                    .take(len)
                    .map(|l| (*l).to_string())
                    .collect();
                lines.splice(j..j, copies);
            }
            9 => {
                // Change the line end.
                let body = lines[i].trim_end_matches(['\r', '\n']).to_string();
                let end = ["\n", "\r\n", "\r", "", "\n\r"][b.below(5)];
                lines[i] = body + end;
            }
            10 => {
                let at = char_boundary(&lines[i], b.below(lines[i].len() + 1));
                lines[i].truncate(at);
            }
            11 => {
                // A long run of one token: very long lines and names.
                let tok = TOKENS[b.below(TOKENS.len())];
                let times = 1 + b.below(4096);
                let at = char_boundary(&lines[i], b.below(lines[i].len() + 1));
                lines[i].insert_str(at, &tok.repeat(times));
            }
            12 => {
                // Free text from the input itself (lossy: the mutator makes UTF-8).
                let len = b.below(32);
                let start = b.i.min(data.len());
                let end = (start + len).min(data.len());
                let text = String::from_utf8_lossy(&data[start..end]).into_owned();
                b.i = end;
                let at = char_boundary(&lines[i], b.below(lines[i].len() + 1));
                lines[i].insert_str(at, &text);
            }
            _ => {
                // Change indentation.
                let body = lines[i]
                    .trim_start_matches([' ', '\t', '\u{3000}'])
                    .to_string();
                let indent = ["", "  ", "    ", "\t", "\u{3000}", "        "][b.below(6)];
                lines[i] = format!("{indent}{body}");
            }
        }
        if lines.iter().map(String::len).sum::<usize>() > MAX_LEN {
            break;
        }
    }
    let mut out: String = lines.concat();
    if out.len() > MAX_LEN {
        let at = char_boundary(&out, MAX_LEN);
        out.truncate(at);
    }
    out
}

fn char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn substitute(c: char, how: u8) -> char {
    match (how, c) {
        (0, '0'..='9') => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
        (1, '0'..='9') => char::from_u32(c as u32 - '0' as u32 + '٠' as u32).unwrap_or(c),
        (2, '0') => 'Ｏ',
        (2, '1') => 'l',
        (2, '≥') => '≽',
        (2, '≤') => '≼',
        (3, ' ') => '\u{3000}',
        (3, '.') => '．',
        (3, ',') => '，',
        (4, ' ') => '\u{00A0}',
        (4, '{') => '｛',
        (4, '}') => '｝',
        (5, '=') => '＝',
        (5, '"') => '“',
        _ => c,
    }
}
