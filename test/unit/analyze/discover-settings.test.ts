import { describe, expect, it } from 'vitest';
import { isSecretName, isSecretSetting } from '../../../src/analyze/secret-names.js';
import { findSettings } from '../../../src/analyze/settings.js';
import { modulesOf } from './helpers.js';

const envOf = (sources: Record<string, string>) =>
  findSettings(modulesOf(sources)).env.map((e) => [e.name, e.settingsClass, e.required, e.default, e.secret]);

describe('secrets by name, on word boundaries', () => {
  it.each([
    'PASSWORD',
    'POSTGRES_PASSWORD',
    'POSTGRES_PWD',
    'DB_PASS',
    'MYSQL_PASSWD',
    'SMTP_PASSWORD',
    'FIRST_SUPERUSER_PASSWORD',
    'SECRET_KEY',
    'JWT_SECRET',
    'CLIENT_SECRET',
    'WEBHOOK_SECRET',
    'AWS_SECRET_ACCESS_KEY',
    'GITHUB_TOKEN',
    'SLACK_BOT_TOKEN',
    'REFRESH_TOKEN',
    'OPENAI_API_KEY',
    'APIKEY',
    'apiKey',
    'STRIPE_KEY',
    'JWT_PRIVATE_KEY',
    'ENCRYPTION_KEY',
    'GOOGLE_CREDENTIALS',
    'SERVICE_ACCOUNT_CREDENTIAL',
    'SENTRY_DSN',
    'POSTGRES_DSN',
    'DATABASE_URL',
    'SQLALCHEMY_DATABASE_URI',
    'CELERY_BROKER_URL',
    'MONGODB_URL',
    'db_password',
    'ssh-passphrase',
  ])('%s is a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'SESSION_COOKIE_KEY',
    'AUTH_COOKIE_NAME',
    'TRACE_ID_REQUEST_HEADER_KEY',
    'API_KEY_HEADER',
    'CSRF_TOKEN_HEADER',
    'ACCESS_TOKEN_EXPIRE_MINUTES',
    'REFRESH_TOKEN_TTL',
    'PASSWORD_MIN_LENGTH',
    'PASSWORD_RESET_TOKEN_EXPIRE_HOURS',
    'JWT_SECRET_FILE',
    'GOOGLE_CREDENTIALS_PATH',
    'TOKEN_URL',
    'JWT_ALGORITHM',
    'CACHE_KEY_PREFIX',
    'KEY_PREFIX',
    'REDIS_URL',
    'FRONTEND_HOST',
    'PROJECT_NAME',
    'BYPASS_AUTH',
    'TOKENIZER_MODEL',
    'AWS_ACCESS_KEY_ID',
    'SECRET_NAME',
    'LOG_LEVEL',
    'KEYCLOAK_REALM',
  ])('%s is not a secret', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('takes the type first, and a URL whose default holds a password', () => {
    expect(isSecretSetting('SIGNING', 'SecretStr')).toBe(true);
    expect(isSecretSetting('BLOB', 'SecretBytes | None')).toBe(true);
    expect(isSecretSetting('KEY_HEADER', 'Secret')).toBe(true);
    expect(isSecretSetting('REDIS_URL', 'str', 'redis://:hunter2@cache:6379/0')).toBe(true);
    expect(isSecretSetting('REDIS_URL', 'str', 'redis://cache:6379/0')).toBe(false);
    expect(isSecretSetting('UPSTREAM', 'str', 'https://user:pw@example.com')).toBe(true);
  });
});

describe('settings outside pydantic-settings', () => {
  it('reads os.getenv, os.environ.get, os.environ[...] with defaults, casts and required-ness', () => {
    expect(
      envOf({
        'svc.config': `
import os
from os import getenv, environ

LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
POOL = int(os.getenv("POOL_SIZE", "10"))
TIMEOUT = float(getenv("TIMEOUT", 3.5))
REGION = environ.get("AWS_REGION")
TOKEN = os.environ["UPSTREAM_TOKEN"]
os.environ["SET_HERE"] = "1"
del os.environ["REMOVED"]
DB = os.environ.get("DATABASE_URL", "postgresql://app:app@db/app")
`,
      }),
    ).toEqual([
      ['LOG_LEVEL', 'os.environ', false, 'INFO', false],
      ['POOL_SIZE', 'os.environ', false, '10', false],
      ['TIMEOUT', 'os.environ', false, '3.5', false],
      ['AWS_REGION', 'os.environ', false, undefined, false],
      ['UPSTREAM_TOKEN', 'os.environ', true, undefined, true],
      ['DATABASE_URL', 'os.environ', false, undefined, true],
    ]);
  });

  it('reads starlette Config (cast=Secret is a secret, no default is required) and python-decouple', () => {
    expect(
      envOf({
        'app.core.config': `
from starlette.config import Config
from starlette.datastructures import Secret

config = Config(".env")
DEBUG = config("DEBUG", cast=bool, default=False)
SECRET_KEY = config("SECRET_KEY", cast=Secret)
ALLOWED = config("ALLOWED_HOSTS", default="*")
`,
        'app.other': `
from app.core.config import config
from decouple import config as env

NAME = config("SERVICE_NAME")
RETRIES = env("RETRIES", default=3, cast=int)
API_KEY = env("PAYMENT_API_KEY")
`,
        'app.notconfig': 'def config(name):\n    return name\nX = config("NOT_AN_ENV_VAR")\n',
      }),
    ).toEqual([
      ['DEBUG', 'starlette Config', false, 'False', false],
      ['SECRET_KEY', 'starlette Config', true, undefined, true],
      ['ALLOWED_HOSTS', 'starlette Config', false, '*', false],
      ['SERVICE_NAME', 'starlette Config', true, undefined, false],
      ['RETRIES', 'python-decouple', false, '3', false],
      ['PAYMENT_API_KEY', 'python-decouple', true, undefined, true],
    ]);
  });

  it('expands nested models with env_nested_delimiter and marks custom sources', () => {
    const info = findSettings(
      modulesOf({
        'app.settings': `
from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict

class Database(BaseModel):
    host: str = "db"
    password: str

class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")
    database: Database
    debug: bool = False

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        return (env_settings,)
`,
      }),
    );
    expect(info.env.map((e) => [e.name, e.required, e.secret])).toEqual([
      ['APP_DATABASE__HOST', false, false],
      ['APP_DATABASE__PASSWORD', true, true],
      ['APP_DEBUG', false, false],
    ]);
    expect(info.classes).toEqual([expect.objectContaining({ name: 'Settings', customSources: true })]);
  });
});
