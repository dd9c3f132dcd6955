export type { Match, MatchFunction } from './compile.js';
export { createMatcher, type Matcher, type MatcherOptions } from './matcher.js';
export { params, ROUTE_KEY, type RouteInfo, routeInfo } from './route-info.js';
export { type RouteTableEntry, router } from './route-table.js';
export type { Route } from './route-tree.js';
export { createRouter, type Handler, type Router, type RouterOptions } from './router.js';
