/**
 * The API's contract as one table: each route with what it takes and what it answers. The routes
 * send bodies typed by these schemas (send.ts); the API tests check every answer against them
 * and that every route the router has is listed here (test/http/api/contract.test.ts).
 * Like the schema files it imports only zod and schemas.
 */
import type { z } from 'zod';
import * as accounts from './accounts/schema';
import * as activities from './activities/schema';
import * as applications from './applications/schema';
import * as membership from './membership/schema';
import * as organisations from './organisations/schema';

export interface RouteContract {
  method: 'GET' | 'POST' | 'DELETE';
  /** As the router has it: `/api/orgs/:id/people`. */
  path: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The JSON of a 2xx answer; null for a file. Every 4xx/5xx is the error shape (schema.ts errorBody). */
  response: z.ZodType | null;
}

export const API_CONTRACT: readonly RouteContract[] = [
  { method: 'POST', path: '/api/login', body: accounts.loginSchema, response: accounts.loginResult },
  { method: 'POST', path: '/api/telegram/session', body: accounts.telegramSchema, response: accounts.loginResult },
  { method: 'POST', path: '/api/logout', response: accounts.logoutResult },
  { method: 'POST', path: '/api/me/password', body: accounts.passwordSchema, response: accounts.passwordResult },

  { method: 'GET', path: '/api/me', response: membership.me },
  { method: 'GET', path: '/api/me/fees', response: membership.myFees },
  { method: 'GET', path: '/api/me/activities', response: membership.myActivities },
  { method: 'POST', path: '/api/activities/:id/response', body: membership.responseSchema, response: membership.responseResult },
  { method: 'POST', path: '/api/signin', body: membership.signinSchema, response: membership.signinResult },

  { method: 'GET', path: '/api/orgs/search', query: organisations.searchQuery, response: organisations.orgSearch },
  { method: 'GET', path: '/api/orgs/tree', query: organisations.treeQuery, response: organisations.treeView },
  { method: 'GET', path: '/api/orgs/:id/people', query: organisations.peopleQuery, response: organisations.peoplePage },
  { method: 'GET', path: '/api/orgs/:id/people/export', query: organisations.exportQuery, response: null },
  { method: 'POST', path: '/api/orgs/:id/people/export/ticket', query: organisations.exportQuery, response: organisations.exportTicket },

  { method: 'GET', path: '/api/activities', query: activities.listQuery, response: activities.managedActivities },
  { method: 'GET', path: '/api/activities/:id/picker', query: activities.pickerQuery, response: activities.pickerView.or(activities.pickerSearch) },
  { method: 'GET', path: '/api/activities/:id/participants', response: activities.participants },
  { method: 'POST', path: '/api/activities/:id/participants', body: activities.addSchema, response: activities.addResult },
  { method: 'DELETE', path: '/api/activities/:id/participants/:personId', response: activities.removeResult },

  { method: 'GET', path: '/api/applications', response: applications.applicationList },
  { method: 'POST', path: '/api/applications/:id/decision', body: applications.decisionSchema, response: applications.decisionResult },
];
