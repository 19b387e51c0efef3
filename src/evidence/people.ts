import type { CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { peopleWhoMayBeQuoted } from "../people/index.ts";
import type { Role } from "../roles.ts";
import { answerLabeller, countPeopleByRole, type PeopleByRole } from "../suppression.ts";
import { pseudonym } from "./rules.ts";

export const WITHHELD = { noConsent: "no consent to quote", anonymous: "anonymous" } as const;

/**
 * What an export knows about the people in it, built up batch by batch: their
 * pseudonyms, whether they agreed to be quoted (as the digest's quotes decide),
 * and the programme's members by role for labelling single rows (README "Small
 * groups", rule 7). Never a name or a platform id: nothing here reads them.
 */
export class ExportPeople {
  private readonly pseudonyms = new Map<string, string>();
  private readonly quotable = new Map<string, boolean>();
  private roleOfMember = new Map<string, Role>();
  private membersByRole: PeopleByRole = {};

  constructor(
    private readonly db: DbTx,
    private readonly settings: CoreSettings,
    readonly programmeId: string,
  ) {}

  async loadMembers(): Promise<void> {
    const members = await this.db.membership.findMany({ where: { programmeId: this.programmeId }, select: { personId: true, role: true } });
    this.roleOfMember = new Map(members.map((m) => [m.personId, m.role]));
    this.membersByRole = countPeopleByRole(members, (m) => m.role, (m) => m.personId);
  }

  /** Labels a row by role where N or more of the programme's members have it. */
  memberLabel(role: Role | null): string {
    return answerLabeller(this.membersByRole, this.settings.minGroupSize)(role);
  }

  /** A labeller for rows where `asked` says how many people of each role could have given them. */
  labeller(asked: PeopleByRole): (role: Role | null) => string {
    return answerLabeller(asked, this.settings.minGroupSize);
  }

  roleInProgramme(personId: string | null): Role | null {
    return personId ? (this.roleOfMember.get(personId) ?? null) : null;
  }

  id(personId: string | null): string {
    if (!personId) return "";
    let id = this.pseudonyms.get(personId);
    if (!id) {
      id = pseudonym(this.settings.answerSecret, this.programmeId, personId);
      this.pseudonyms.set(personId, id);
    }
    return id;
  }

  /** Loads quotation consent for the people of one batch that are not known yet. */
  async learnConsent(personIds: readonly (string | null)[]): Promise<void> {
    const unknown = [...new Set(personIds.filter((id): id is string => Boolean(id) && !this.quotable.has(id!)))];
    if (unknown.length === 0) return;
    const yes = await peopleWhoMayBeQuoted(this.db, this.programmeId, unknown);
    for (const id of unknown) this.quotable.set(id, yes.has(id));
  }

  /** The words, or nothing and the reason. Anonymous words have no person whose consent could be checked. */
  words(personId: string | null, text: string | null | undefined, anonymous = false): { text: string; withheld: string } {
    if (!text) return { text: "", withheld: "" };
    if (anonymous) return { text: "", withheld: WITHHELD.anonymous };
    if (!personId || !this.quotable.get(personId)) return { text: "", withheld: WITHHELD.noConsent };
    return { text, withheld: "" };
  }
}
