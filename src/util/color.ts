/** ANSI colour for reports; a no-op when colour is off (NO_COLOR, not a terminal, JSON). */
export function painter(enabled: boolean): (code: string, text: string) => string {
  return (code, text) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
}
