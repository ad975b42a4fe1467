// Where a route file adds its routes. The /relay routes go straight onto the
// app with their full paths: the integration API is the hot path (benchmark
// 1), and every nested router a request walks through costs it a prefix trim,
// a params pass and a second layer walk.
import type { Router } from 'express';

export type RouteTarget = Pick<Router, 'get' | 'post'>;
