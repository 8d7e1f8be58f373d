/** An application with what it points at, and its JSON data (history of stages). */
import type { Application } from '../../../models/Application';
import type { Organisation } from '../../../models/Organisation';
import type { Person } from '../../../models/Person';
import type { ApplicationStage } from './application-stages';

/** An application with what it points at. */
export interface ApplicationParts {
  app: Application;
  person: Person;
  org: Organisation;
  homeOrg?: Organisation | null;
}

/** The application's JSON data. */
export interface ApplicationData {
  role?: 'member' | 'cadre';
  statement?: string;
  ageAtSubmit?: number;
  history: Array<{ stage: ApplicationStage; at: string; by: number }>;
}

export function dataOf(app: Application): ApplicationData {
  const data = JSON.parse(app.data || '{}') as Partial<ApplicationData>;
  return { ...data, history: data.history ?? [] };
}
