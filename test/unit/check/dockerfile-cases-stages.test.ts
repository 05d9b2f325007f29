import { ruleCases } from './cases.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const FROM = 'FROM python:3.13-slim';
const VENV = 'COPY --from=builder /app/.venv /app/.venv';

ruleCases('SLW-D005', {
  catches: [
    ['one stage', lines(FROM, 'COPY . /app'), [1]],
    ['two stages, nothing copied across', lines(`${FROM} AS builder`, 'RUN echo', FROM, 'COPY . /app'), [3]],
    [
      'built on the builder itself',
      lines(`${FROM} AS builder`, 'RUN uv sync --locked', 'FROM builder AS runtime'),
      [3],
    ],
    [
      'build tools in the final stage',
      lines(`${FROM} AS builder`, FROM, VENV, 'RUN apt-get install -y gcc libpq-dev'),
      [4],
    ],
    [
      'build tools in the stage the final is built on',
      lines(
        `${FROM} AS builder`,
        `${FROM} AS base`,
        'RUN apt-get install -y build-essential',
        'FROM base',
        VENV,
      ),
      [3],
    ],
    [
      'uv copied into the final stage',
      lines(
        'FROM ghcr.io/astral-sh/uv:0.8 AS uv',
        `${FROM} AS builder`,
        FROM,
        'COPY --from=uv /uv /bin/',
        VENV,
      ),
      [4],
    ],
  ],
  catchesNot: [
    ['builder and a final stage', lines(`${FROM} AS builder`, FROM, VENV)],
    [
      'final FROM an earlier runtime base that copies',
      lines(
        `${FROM} AS builder`,
        `${FROM} AS runtime-base`,
        VENV,
        'FROM runtime-base AS runtime',
        'USER 10001',
      ),
    ],
    [
      'final FROM a stage that copies, chosen by a global ARG',
      lines('ARG SERVER_TYPE=uvicorn', `${FROM} AS builder`, `${FROM} AS uvicorn`, VENV, 'FROM $SERVER_TYPE'),
    ],
    [
      'final FROM a stage chosen by --build-arg',
      lines('ARG SERVER_TYPE', `${FROM} AS builder`, `${FROM} AS uvicorn`, VENV, 'FROM $SERVER_TYPE'),
    ],
    [
      'build tools only in the builder',
      lines(`${FROM} AS builder`, 'RUN apt-get install -y gcc', FROM, VENV),
    ],
    [
      'runtime libraries are no build tools',
      lines(`${FROM} AS builder`, FROM, VENV, 'RUN apt-get install -y libpq5'),
    ],
  ],
});

ruleCases('SLW-D003', {
  catches: [
    ['shell-form CMD', lines(FROM, 'CMD uvicorn app:app'), [2]],
    ['shell-form ENTRYPOINT', lines(FROM, 'ENTRYPOINT uvicorn app:app'), [2]],
    ['broken JSON is shell form', lines(FROM, "CMD ['uvicorn', 'app:app']"), [2]],
    ['both', lines(FROM, 'ENTRYPOINT ./start.sh', 'CMD run'), [2, 3]],
    ['only the final stage counts', lines(`${FROM} AS a`, 'CMD ["x"]', FROM, 'CMD x'), [4]],
  ],
  catchesNot: [
    ['exec form', lines(FROM, 'CMD ["uvicorn", "app:app"]')],
    ['empty ENTRYPOINT resets the inherited one', lines(FROM, 'ENTRYPOINT []', 'CMD ["uvicorn", "app:app"]')],
    ['empty CMD', lines(FROM, 'ENTRYPOINT ["uvicorn", "app:app"]', 'CMD []')],
    ['exec form over two lines', lines(FROM, 'CMD ["uvicorn", \\', '  "app:app"]')],
    ['shell form in an earlier stage', lines(`${FROM} AS a`, 'CMD x', FROM, 'CMD ["x"]')],
  ],
});

ruleCases('SLW-D008', {
  catches: [
    ['ENV with a secret name', lines(FROM, 'ENV API_TOKEN=abc123def'), [2]],
    ['ARG with a secret name and no default', lines(FROM, 'ARG DATABASE_PASSWORD'), [2]],
    ['global ARG', lines('ARG GITHUB_TOKEN', FROM), [1]],
    ['a URL with a password', lines(FROM, 'ENV DATABASE_URL=postgresql://app:s3cret@db/app'), [2]],
    ['second of several ENV pairs', lines(FROM, 'ENV A=1 \\', '    SECRET_KEY=changed-in-prod-xyz'), [2]],
  ],
  catchesNot: [
    ['ordinary variables', lines(FROM, 'ENV PYTHONUNBUFFERED=1 UV_NO_DEV=1')],
    ['ENV placeholder', lines(FROM, 'ENV API_TOKEN=""')],
    ['a URL without a password', lines(FROM, 'ENV DATABASE_URL=postgresql://db/app')],
    ['a secret mount instead', lines(FROM, 'RUN --mount=type=secret,id=token cat /run/secrets/token')],
    ['a token-ish non-secret name', lines(FROM, 'ARG UV_VERSION=0.8.0')],
  ],
});

ruleCases('SLW-D010', {
  catches: [
    ['no EXPOSE', lines(FROM, 'CMD ["uvicorn", "app:app"]'), [1]],
    ['EXPOSE misses UVICORN_PORT', lines(FROM, 'ENV UVICORN_PORT=9000', 'EXPOSE 8000'), [3]],
    ['EXPOSE misses --port', lines(FROM, 'EXPOSE 8000', 'CMD ["uvicorn", "app:app", "--port", "8080"]'), [2]],
    ['shell-form --port', lines(FROM, 'EXPOSE 80/tcp', 'CMD uvicorn app:app --port 8000'), [2]],
    ['the later EXPOSE is reported', lines(FROM, 'ENV UVICORN_PORT=7000', 'EXPOSE 8000', 'EXPOSE 8001'), [4]],
  ],
  catchesNot: [
    ['EXPOSE the UVICORN_PORT', lines(FROM, 'ENV UVICORN_PORT=9000', 'EXPOSE 9000')],
    ['EXPOSE the --port', lines(FROM, 'EXPOSE 8080/tcp', 'CMD ["uvicorn", "app:app", "--port", "8080"]')],
    [
      'EXPOSE inherited from the parent stage',
      lines(`${FROM} AS base`, 'EXPOSE 8000', 'FROM base', 'ENV UVICORN_PORT=8000'),
    ],
    ['no known port, any EXPOSE', lines(FROM, 'EXPOSE 5000')],
    ['several ports, one of them', lines(FROM, 'ENV UVICORN_PORT=8000', 'EXPOSE 9090 8000')],
  ],
});

ruleCases('SLW-D020', {
  catches: [
    ['uvicorn --reload', lines(FROM, 'CMD ["uvicorn", "app:app", "--reload"]'), [2]],
    ['shell form', lines(FROM, 'CMD uvicorn app:app --host 0.0.0.0 --reload'), [2]],
    ['fastapi dev', lines(FROM, 'CMD ["fastapi", "dev", "app/main.py"]'), [2]],
    ['ENV UVICORN_RELOAD', lines(FROM, 'ENV UVICORN_RELOAD=true', 'CMD ["uvicorn", "app:app"]'), [2]],
    [
      'inherited from the parent stage',
      lines(`${FROM} AS base`, 'ENTRYPOINT ["gunicorn", "--reload"]', 'FROM base'),
      [2],
    ],
  ],
  catchesNot: [
    ['uvicorn without it', lines(FROM, 'CMD ["uvicorn", "app:app"]')],
    ['fastapi run', lines(FROM, 'CMD ["fastapi", "run", "app/main.py"]')],
    ['UVICORN_RELOAD false', lines(FROM, 'ENV UVICORN_RELOAD=false', 'CMD ["uvicorn", "app:app"]')],
    [
      '--reload in an earlier, unrelated stage',
      lines(`${FROM} AS dev`, 'CMD ["uvicorn", "app:app", "--reload"]', FROM, 'CMD ["uvicorn", "app:app"]'),
    ],
    ['a RUN that mentions --reload', lines(FROM, 'RUN echo --reload', 'CMD ["uvicorn", "app:app"]')],
  ],
});
