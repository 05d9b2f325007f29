import { describe, expect, it } from 'vitest';
import { commandsOf, simpleCommands } from '../../../src/dockerfile/shell.js';

// RUN scripts as the Dockerfile rules read them. The first table holds what the hand-written
// reader got wrong; the second what it got right and what a plain shell-quote parse would break
// (variables expanded, `#` inside a word read as a comment, a newline in quotes or an apostrophe
// in a comment confusing the cut into lines).
const fixed: [string, string, string[][]][] = [
  [
    'an escaped quote inside double quotes does not end them',
    'echo "say \\"hi\\" && apt-get install x"',
    [['echo', 'say "hi" && apt-get install x']],
  ],
  ['2>&1 is a redirection, not a command `1`', 'make 2>&1', [['make']]],
  ['redirection targets are not words', 'pip install x >/dev/null 2>&1', [['pip', 'install', 'x']]],
  ['a fd redirected to a file', 'rm x 2>/dev/null || true', [['rm', 'x'], ['true']]],
  ['&> and &>> are one redirection', 'make &>log && make install &>>log', [['make'], ['make', 'install']]],
  ['input, append and here-string', 'sort < in >> out && cat <<< "$X"', [['sort'], ['cat']]],
  [
    'sudo options are not the program',
    'sudo -E -u app apt-get install -y gcc',
    [['apt-get', 'install', '-y', 'gcc']],
  ],
  ['env options and assignments', 'env -u HOME PATH=/x uv sync', [['uv', 'sync']]],
  [
    'reserved words before a command',
    'if [ -n "$X" ]; then apt-get install -y gcc; fi',
    [
      ['[', '-n', '$X', ']'],
      ['apt-get', 'install', '-y', 'gcc'],
    ],
  ],
  [
    'a brace group',
    '{ apt-get update; apt-get install -y gcc; }',
    [
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'gcc'],
    ],
  ],
  [
    '$(...) is one word, and its commands run too',
    'echo $(date +%s) && python -c "print(1)"',
    [
      ['date', '+%s'],
      ['echo', '$(date +%s)'],
      ['python', '-c', 'print(1)'],
    ],
  ],
  ['arithmetic has no commands', 'echo $((1 + 2))', [['echo', '$((1 + 2))']]],
  [
    'process substitution',
    'diff <(sort a) b',
    [
      ['sort', 'a'],
      ['diff', '<(sort a)', 'b'],
    ],
  ],
  [
    'a heredoc without command is the script (BuildKit)',
    '<<EOF\nset -eux\napt-get install -y gcc\nEOF',
    [
      ['set', '-eux'],
      ['apt-get', 'install', '-y', 'gcc'],
    ],
  ],
  [
    'a heredoc fed to another program is data',
    "cat <<'EOF' > /etc/apt/apt.conf.d/x\napt-get install x\nEOF\nmake",
    [['cat'], ['make']],
  ],
  [
    'a shell reads its heredoc, tabs stripped with <<-',
    'bash <<-EOF\n\tapt-get install y\n\tEOF',
    [['bash'], ['apt-get', 'install', 'y']],
  ],
  ['a heredoc with a #! of another interpreter is data', '<<EOF\n#!/usr/bin/env python3\nimport os\nEOF', []],
  [
    "$'...' quotes with a backslash-escaped apostrophe",
    "echo $'it\\'s\\t' && make",
    [['echo', "it's\t"], ['make']],
  ],
  ['Windows line ends', 'apt-get update \\\r\n && make\r\nls', [['apt-get', 'update'], ['make'], ['ls']]],
];

const kept: [string, string, string[][]][] = [
  ['separators', 'a && b || c; d | e & f', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
  ['quotes of both kinds', `echo 'a && b' "c; d" it\\'s`, [['echo', 'a && b', 'c; d', "it's"]]],
  [
    'a backslash inside single quotes is a letter',
    "echo 'a\\' && rm x",
    [
      ['echo', 'a\\'],
      ['rm', 'x'],
    ],
  ],
  [
    'variables stay as written',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell variables, not JS placeholders
    'echo $VAR ${VAR:-x} "${A}b" $Ab',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the same, as read
    [['echo', '$VAR', '${VAR:-x}', '${A}b', '$Ab']],
  ],
  ['assignments before the program', 'VAR=1 OTHER="a b" uv sync', [['uv', 'sync']]],
  ['subshells', '(cd x && make)', [['cd', 'x'], ['make']]],
  [
    'continuation lines',
    'apt-get update \\\n  && apt-get install -y gcc',
    [
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'gcc'],
    ],
  ],
  [
    'a newline inside quotes',
    'echo "line1\n# not a comment" && make',
    [['echo', 'line1\n# not a comment'], ['make']],
  ],
  [
    'comments, with an apostrophe',
    "apt-get update # don't upgrade\napt-get install -y gcc",
    [
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'gcc'],
    ],
  ],
  ['a # inside a word is a letter', 'sed -i s#a#b#g f && make', [['sed', '-i', 's#a#b#g', 'f'], ['make']]],
  [
    'a set -eux sequence, the glob as written',
    'set -eux; apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
    [
      ['set', '-eux'],
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', '--no-install-recommends', 'gcc'],
      ['rm', '-rf', '/var/lib/apt/lists/*'],
    ],
  ],
];

describe('simpleCommands', () => {
  it.each(fixed)('%s', (_, script, expected) => {
    expect(simpleCommands(script)).toEqual(expected);
  });
  it.each(kept)('%s', (_, script, expected) => {
    expect(simpleCommands(script)).toEqual(expected);
  });
});

describe('commandsOf', () => {
  it('finds the program by name or path, with its subcommand', () => {
    const script = '/usr/bin/apt-get update && apt-get install -y gcc 2>&1 && echo apt-get install';
    expect(commandsOf(script, 'apt-get')).toEqual([
      ['/usr/bin/apt-get', 'update'],
      ['apt-get', 'install', '-y', 'gcc'],
    ]);
    expect(commandsOf(script, 'apt-get', 'install')).toEqual([['apt-get', 'install', '-y', 'gcc']]);
  });

  it('sees no install in a quoted string with escaped quotes', () => {
    expect(commandsOf('echo "say \\"hi\\" && apt-get install x"', 'apt-get', 'install')).toEqual([]);
  });
});
