// Registration from the admin console: the user is identity's (auth's service creates them and
// queues the starting guide), the groups are the portal's. Admin orchestrates the two: the chosen
// groups are checked before anything is written, and joined once the user exists.
import type { AppContext } from '../context.ts';
import { createUser, type AdminActor, type CreateUserInput, type PublicUser } from '../auth/service.ts';
import { addMembers, checkGroupsInOrg } from '../portal/groups/service.ts';

export async function createUserInGroups(ctx: AppContext, actor: AdminActor, input: CreateUserInput & { groupIds: string[] }): Promise<PublicUser> {
  const groupIds = [...new Set(input.groupIds.filter(Boolean))];
  const { groupIds: _ignored, ...rest } = input;
  const user = await createUser(ctx, actor, rest, (orgId) => checkGroupsInOrg(ctx, orgId, groupIds));
  await addMembers(ctx, actor, groupIds, user);
  return user;
}
