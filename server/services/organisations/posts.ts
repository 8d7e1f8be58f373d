import type { Transaction } from 'sequelize';
import { Organisation, Post } from '../../../models';
import type { ServiceDeps } from '../deps';

/** Cadre posts (R14): a person may hold many, in any organisations; a post never moves membership. */
export class Posts {
  constructor(private readonly deps: ServiceDeps) {}

  /** The person's posts with their organisations. */
  async of(personId: number, t?: Transaction): Promise<Array<{ title: string; org: Organisation }>> {
    const posts = await Post.findAll({ where: { personId }, order: [['id', 'ASC']], transaction: t });
    const orgs = await Organisation.findAll({ where: { id: posts.map((p) => p.orgId) }, transaction: t });
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return posts.filter((p) => byId.has(p.orgId)).map((p) => ({ title: p.title, org: byId.get(p.orgId)! }));
  }

  /** Gives a post; holding the same post twice is a no-op. */
  async add(personId: number, orgId: number, title: string, t?: Transaction): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await Post.findOrCreate({ where: { personId, orgId, title }, defaults: { personId, orgId, title }, transaction: tx });
    }, t);
  }

  /** People holding posts in an organisation. */
  holdersIn(orgId: number, t?: Transaction): Promise<Post[]> {
    return Post.findAll({ where: { orgId }, order: [['id', 'ASC']], transaction: t });
  }
}
