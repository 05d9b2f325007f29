// The package ships no types; the CycloneDX license factory only needs "throws when invalid".
declare module 'spdx-expression-parse' {
  function parse(expression: string): unknown;
  export default parse;
}
