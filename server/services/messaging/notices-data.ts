import { Activity, Announcement, Application, BackgroundJob, Invitation, Organisation, Person } from '../../../models';
import type { ApplicationParts } from '../applications/application-data';
import { loadParts } from '../applications/application-queries';

/** An invitation with its organisation and the two people's names. */
export interface InvitationSubject {
  invitation: Invitation;
  org: Organisation;
  inviteeName: string;
  inviterName: string;
}

/**
 * What notices are about, read when they are rendered (flows/notices): plain data by id, or
 * null when it is gone. No permission check: a notice was queued for its recipient by the
 * service that decided they should know.
 */
export class NoticesData {
  async application(id: number): Promise<ApplicationParts | null> {
    const app = await Application.findByPk(id);
    return app ? ((await loadParts([app]))[0] ?? null) : null;
  }

  async invitation(id: number): Promise<InvitationSubject | null> {
    const invitation = await Invitation.findByPk(id);
    const org = invitation && (await Organisation.findByPk(invitation.orgId));
    if (!invitation || !org) return null;
    const people = await Person.findAll({ where: { id: [invitation.personId, invitation.invitedByPersonId] }, attributes: ['id', 'name'] });
    const name = (pid: number) => people.find((p) => p.id === pid)?.name ?? '';
    return { invitation, org, inviteeName: name(invitation.personId), inviterName: name(invitation.invitedByPersonId) || '组织管理员' };
  }

  async activity(id: number): Promise<{ activity: Activity; orgName: string } | null> {
    const activity = await Activity.findByPk(id);
    const org = activity && (await Organisation.findByPk(activity.orgId, { attributes: ['fullName'] }));
    return activity && org ? { activity, orgName: org.fullName } : null;
  }

  async personName(id: number): Promise<string | null> {
    return (await Person.findByPk(id, { attributes: ['name'] }))?.name ?? null;
  }

  async jobTitle(id: number): Promise<string | null> {
    return (await BackgroundJob.findByPk(id, { attributes: ['title'] }))?.title ?? null;
  }

  async announcement(id: number): Promise<{ announcement: Announcement; orgName: string; authorName: string } | null> {
    const announcement = await Announcement.findByPk(id);
    if (!announcement) return null;
    const [org, author] = await Promise.all([
      Organisation.findByPk(announcement.orgId, { attributes: ['fullName'] }),
      Person.findByPk(announcement.authorPersonId, { attributes: ['name'] }),
    ]);
    return org ? { announcement, orgName: org.fullName, authorName: author?.name ?? '' } : null;
  }
}
