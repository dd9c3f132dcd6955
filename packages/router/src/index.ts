export type { Match, MatchFunction } from './compile.js';
export { createMatcher, type Matcher, type MatcherOptions } from './matcher.js';
export type { Route } from './route-tree.js';
