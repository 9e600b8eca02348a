import { PermissionFlagsBits } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { ChatInput } from './command.js';

/** Server-wide settings are for members with Manage Server, as Discord's own server settings are. */
export const MANAGE_SERVER = PermissionFlagsBits.ManageGuild;

/**
 * Refuses a member without Manage Server (UserFacingError 'needs-manage-server'). The command is also registered
 * with Manage Server as its default permission, so Discord hides it from others; a server can hand it out anyway
 * (Integrations settings), and a crafted payload can send anything, so the permissions Discord sends with the
 * interaction decide.
 */
export function assertManagesServer(interaction: ChatInput, what: string): void {
  if (interaction.memberPermissions.has(MANAGE_SERVER)) return;
  throw new UserFacingError(
    'needs-manage-server',
    `Only members with the Manage Server permission can ${what}; nothing was changed.`,
  );
}
