import { ruleCases } from './cases.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const FROM = 'FROM python:3.13-slim';
const CLEAN = '&& rm -rf /var/lib/apt/lists/*';

ruleCases('SLW-D015', {
  catches: [
    ['one unpinned package', lines(FROM, 'RUN apt-get install -y gcc=4:12.2.0-3 curl'), [2]],
    [
      'after update, in a continuation',
      lines(FROM, 'RUN apt-get update \\', '  && apt-get install -y --no-install-recommends libpq5'),
      [2],
    ],
    [
      'with -o options',
      lines(FROM, 'RUN apt-get -o Acquire::Retries=3 install -y -o Dpkg::Use-Pty=0 git'),
      [2],
    ],
    [
      'behind env and sudo',
      lines(FROM, 'RUN DEBIAN_FRONTEND=noninteractive sudo apt-get install -y make'),
      [2],
    ],
    ['in a heredoc', lines(FROM, 'RUN <<EOF', 'set -e', 'apt-get install -y make', 'EOF'), [2]],
    ['each RUN on its own line', lines(FROM, 'RUN apt-get install -y a', 'RUN apt-get install -y b'), [2, 3]],
  ],
  catchesNot: [
    ['every package pinned', lines(FROM, 'RUN apt-get install -y gcc=4:12.2.0-3 libpq5=15.8-0+deb12u1')],
    ['a release pin', lines(FROM, 'RUN apt-get install -y -t bookworm-backports git/bookworm-backports')],
    ['a local .deb', lines(FROM, 'RUN apt-get install -y ./pkg.deb')],
    ['apt-get update only', lines(FROM, 'RUN apt-get update')],
    ['apt-get remove', lines(FROM, 'RUN apt-get remove -y gcc')],
    ['a word install in an echo', lines(FROM, 'RUN echo apt-get install gcc')],
  ],
});

ruleCases('SLW-D016', {
  catches: [
    ['no version', lines(FROM, 'RUN pip install --no-cache-dir flask'), [2]],
    ['pip itself', lines(FROM, 'RUN pip install --no-cache-dir --upgrade pip'), [2]],
    ['python -m pip', lines(FROM, 'RUN python3 -m pip install --no-cache-dir uvicorn'), [2]],
    ['pip3.13, among pinned ones', lines(FROM, 'RUN pip3.13 install --no-cache-dir a==1 b'), [2]],
    [
      'after && in a heredoc',
      lines(FROM, 'RUN <<EOF', 'cd /app && pip install --no-cache-dir gunicorn', 'EOF'),
      [2],
    ],
  ],
  catchesNot: [
    ['==', lines(FROM, 'RUN pip install --no-cache-dir flask==3.0.0')],
    [
      'ranges and compatible releases',
      lines(FROM, 'RUN pip install --no-cache-dir "flask>=3,<4" django~=5.0'),
    ],
    [
      'requirements and constraints files',
      lines(FROM, 'RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt'),
    ],
    ['the project itself', lines(FROM, 'RUN pip install --no-cache-dir . ./libs/x /wheels/app.whl')],
    [
      'a direct reference',
      lines(FROM, 'RUN pip install --no-cache-dir "app @ https://example.com/app-1.0.whl"'),
    ],
    ['uv pip is uv, not pip', lines(FROM, 'RUN uv pip install flask')],
  ],
});

ruleCases('SLW-D017', {
  catches: [
    ['plain', lines(FROM, 'RUN pip install flask==3.0.0'), [2]],
    ['python -m pip', lines(FROM, 'RUN python -m pip install -r requirements.txt'), [2]],
    ['PIP_NO_CACHE_DIR=off', lines(FROM, 'ENV PIP_NO_CACHE_DIR=off', 'RUN pip install a==1'), [3]],
    ['the ENV comes later', lines(FROM, 'RUN pip install a==1', 'ENV PIP_NO_CACHE_DIR=1'), [2]],
    [
      'a cache mount elsewhere',
      lines(FROM, 'RUN --mount=type=cache,target=/var/cache/apt pip install a==1'),
      [2],
    ],
  ],
  catchesNot: [
    ['--no-cache-dir', lines(FROM, 'RUN pip install --no-cache-dir a==1')],
    ['ENV PIP_NO_CACHE_DIR=1', lines(FROM, 'ENV PIP_NO_CACHE_DIR=1', 'RUN pip install a==1')],
    ['ARG PIP_NO_CACHE_DIR', lines(FROM, 'ARG PIP_NO_CACHE_DIR=true', 'RUN pip install a==1')],
    [
      'a cache mount on the pip cache',
      lines(FROM, 'RUN --mount=type=cache,target=/root/.cache/pip pip install a==1'),
    ],
    [
      'inherited ENV',
      lines(`${FROM} AS base`, 'ENV PIP_NO_CACHE_DIR=1', 'FROM base', 'RUN pip install a==1'),
    ],
    ['pip freeze', lines(FROM, 'RUN pip freeze')],
  ],
});

ruleCases('SLW-D019', {
  catches: [
    ['apt install', lines(FROM, 'RUN apt install -y curl'), [2]],
    ['apt update', lines(FROM, 'RUN apt update'), [2]],
    ['after &&', lines(FROM, `RUN apt-get update && apt upgrade -y ${CLEAN}`), [2]],
    ['/usr/bin/apt', lines(FROM, 'RUN /usr/bin/apt-get update; /usr/bin/apt list --installed'), [2]],
    ['in a heredoc', lines(FROM, 'RUN <<EOF', 'apt autoremove -y', 'EOF'), [2]],
  ],
  catchesNot: [
    ['apt-get', lines(FROM, 'RUN apt-get install -y --no-install-recommends curl=8')],
    ['apt-cache', lines(FROM, 'RUN apt-cache policy curl')],
    ['apt as a word', lines(FROM, 'RUN echo apt install curl')],
    ['a file named apt', lines(FROM, 'RUN cat /etc/apt/sources.list')],
    ['apt-mark', lines(FROM, 'RUN apt-mark hold curl')],
  ],
});

ruleCases('SLW-D011', {
  catches: [
    [
      'no --no-install-recommends',
      lines(FROM, `RUN apt-get update && apt-get install -y curl ${CLEAN}`),
      [2],
    ],
    [
      'lists left in the final image',
      lines(FROM, 'RUN apt-get update && apt-get install -y --no-install-recommends curl'),
      [2],
    ],
    [
      'rm in another RUN',
      lines(
        FROM,
        'RUN apt-get update && apt-get install -y --no-install-recommends curl',
        'RUN rm -rf /var/lib/apt/lists/*',
      ),
      [2],
    ],
    ['in a stage the final is built on', lines(`${FROM} AS base`, 'RUN apt-get update', 'FROM base'), [2]],
    [
      'flags and a comment in the continuation',
      lines(
        FROM,
        'RUN --mount=type=cache,target=/var/cache/apt apt-get update \\',
        '# gcc for wheels',
        '  && apt-get install -y gcc',
      ),
      [2, 2],
    ],
  ],
  catchesNot: [
    [
      'done right',
      lines(FROM, `RUN apt-get update && apt-get install -y --no-install-recommends curl ${CLEAN}`),
    ],
    [
      'APT config instead of the flag',
      lines(FROM, `RUN apt-get install -y -o APT::Install-Recommends=false curl ${CLEAN}`),
    ],
    [
      'lists on a cache mount',
      lines(
        FROM,
        'RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl',
      ),
    ],
    [
      'lists in a builder stage only',
      lines(`${FROM} AS build`, 'RUN apt-get update && apt-get install -y --no-install-recommends gcc', FROM),
    ],
    ['no apt at all', lines(FROM, 'RUN pip install --no-cache-dir a==1')],
  ],
});
