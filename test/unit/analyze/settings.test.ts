import { describe, expect, it } from 'vitest';
import { findSettings, isSecret } from '../../../src/analyze/settings.js';
import { modulesOf } from './helpers.js';

const envOf = (sources: Record<string, string>) =>
  findSettings(modulesOf(sources)).env.map((e) => ({
    name: e.name,
    required: e.required,
    secret: e.secret,
    default: e.default,
    type: e.type,
  }));

describe('settings extraction', () => {
  it('applies model_config env_prefix, upper-cases names and reads literal defaults', () => {
    const env = envOf({
      'app.settings': `
from pathlib import Path
from pydantic_settings import BaseSettings, SettingsConfigDict

class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="shop_")
    debug: bool = False
    workers: int = 4
    name: str = "shop"
    data: Path = Path("/tmp/data")
    tags: list[str] = []
`,
    });
    expect(env).toEqual([
      { name: 'SHOP_DEBUG', required: false, secret: false, default: 'false', type: 'bool' },
      { name: 'SHOP_WORKERS', required: false, secret: false, default: '4', type: 'int' },
      { name: 'SHOP_NAME', required: false, secret: false, default: 'shop', type: 'str' },
      { name: 'SHOP_DATA', required: false, secret: false, default: '/tmp/data', type: 'Path' },
      { name: 'SHOP_TAGS', required: false, secret: false, default: undefined, type: 'list[str]' },
    ]);
  });

  it('uses alias and validation_alias as the exact name, without the prefix', () => {
    const env = envOf({
      'app.settings': `
import pydantic_settings
from pydantic import AliasChoices, Field
from typing import Annotated

class Settings(pydantic_settings.BaseSettings):
    model_config = {"env_prefix": "APP_"}
    redis: str = Field("redis://localhost", alias="REDIS_URL")
    broker: str = Field(default="amqp://", validation_alias=AliasChoices("BROKER_URL", "AMQP_URL"))
    region: Annotated[str, Field(alias="AWS_REGION")] = "eu-west-1"
    token: str = Field(...)
    items: list[str] = Field(default_factory=list)
`,
    });
    expect(env.map((e) => [e.name, e.required, e.default])).toEqual([
      ['REDIS_URL', false, 'redis://localhost'],
      // A broker URL carries its login by convention: a secret, so its default is not recorded.
      ['BROKER_URL', false, undefined],
      ['AWS_REGION', false, 'eu-west-1'],
      ['APP_TOKEN', true, undefined],
      ['APP_ITEMS', false, undefined],
    ]);
  });

  it('reads an inner class Config and inherits fields and prefix through another settings class', () => {
    const info = findSettings(
      modulesOf({
        'app.base': `
from pydantic_settings import BaseSettings

class Common(BaseSettings):
    class Config:
        env_prefix = "SVC_"
    log_level: str = "info"
    _private: int = 1
    counter: "ClassVar[int]" = 0
`,
        'app.settings': `
from typing import ClassVar
from app.base import Common

class ApiSettings(Common):
    instances: ClassVar[int] = 0
    port: int = 8000
    log_level: str = "debug"

class NotSettings:
    password: str
`,
      }),
    );
    expect(info.classes).toEqual([
      { name: 'ApiSettings', file: 'app/settings.py', line: 5, envPrefix: 'SVC_' },
    ]);
    expect(info.env.map((e) => [e.name, e.default, e.settingsClass])).toEqual([
      ['SVC_PORT', '8000', 'ApiSettings'],
      ['SVC_LOG_LEVEL', 'debug', 'ApiSettings'],
    ]);
  });

  it('marks secrets by type and by name, and never records their default', () => {
    const env = envOf({
      settings: `
from pydantic import SecretStr, SecretBytes
from pydantic_settings import BaseSettings

class S(BaseSettings):
    api_key: str = "dev-key"
    signing: SecretBytes = b"x"
    admin: SecretStr | None = None
    database_url: str = "postgresql://u:p@db/x"
    sentry_dsn: str = ""
    github_token: str = "t"
    monkey: str = "banana"
`,
    });
    expect(env.map((e) => [e.name, e.secret, e.default])).toEqual([
      ['API_KEY', true, undefined],
      ['SIGNING', true, undefined],
      ['ADMIN', true, undefined],
      ['DATABASE_URL', true, undefined],
      ['SENTRY_DSN', true, undefined],
      ['GITHUB_TOKEN', true, undefined],
      ['MONKEY', false, 'banana'],
    ]);
  });

  it('recognizes secret names', () => {
    for (const name of [
      'SECRET_KEY',
      'X_API_KEY',
      'DB_PASSWORD',
      'APP_SECRET',
      'SHOP_DATABASE_URL',
      'PG_DSN',
      'TOKEN',
    ]) {
      expect(isSecret(name, 'str'), name).toBe(true);
    }
    for (const name of ['KEYBOARD_LAYOUT', 'TOKENIZER', 'LOG_LEVEL', 'DATABASE_PATH']) {
      expect(isSecret(name, 'str'), name).toBe(false);
    }
  });
});
