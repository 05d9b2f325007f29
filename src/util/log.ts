/** Logs go to stderr; stdout is kept for data (reports, JSON). */

const useColor = (): boolean => !process.env.NO_COLOR && process.stderr.isTTY === true;

function paint(code: string, text: string): string {
  return useColor() ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const color = {
  green: (text: string) => paint('32', text),
  red: (text: string) => paint('31', text),
  yellow: (text: string) => paint('33', text),
  dim: (text: string) => paint('2', text),
  bold: (text: string) => paint('1', text),
};

export const log = {
  info(message: string): void {
    process.stderr.write(`${message}\n`);
  },
  warn(message: string): void {
    process.stderr.write(`${color.yellow('warning:')} ${message}\n`);
  },
  error(message: string): void {
    process.stderr.write(`${color.red('error:')} ${message}\n`);
  },
  debug(message: string): void {
    if (process.env.SLIPWAY_DEBUG) process.stderr.write(`${color.dim(message)}\n`);
  },
};
