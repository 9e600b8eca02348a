import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIOverwrite } from 'discord-api-types/v10';

export type PermissionName = keyof typeof PermissionFlagsBits;
/** Either a raw bitfield or flag names, e.g. `['AddReactions', 'ReadMessageHistory']`. */
export type PermissionInput = bigint | readonly PermissionName[];

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What @everyone may do in a fresh fake guild: enough for members to use commands and react. */
export const DEFAULT_EVERYONE_PERMISSIONS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AttachFiles',
  'AddReactions',
  'ReadMessageHistory',
  'UseApplicationCommands',
  'UseExternalEmojis',
  'Connect',
  'Speak',
];

/** The bot's managed role: the permissions of Marquee's invite URL. */
export const DEFAULT_BOT_PERMISSIONS: readonly PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AddReactions',
  'ReadMessageHistory',
];

export function toBits(input: PermissionInput): bigint {
  if (typeof input === 'bigint') return input;
  return input.reduce((bits, name) => bits | PermissionFlagsBits[name], 0n);
}

export function hasAll(bits: bigint, required: bigint): boolean {
  return (bits & required) === required;
}

export interface PermissionSubject {
  userId: string;
  roleIds: readonly string[];
}

export interface PermissionGuild {
  id: string;
  ownerId: string;
  /** role id → permission bits; the @everyone role has the guild's id. */
  rolePermissions: ReadonlyMap<string, bigint>;
}

/** Discord's documented algorithm: base permissions from roles, then @everyone, role and member overwrites. */
export function computePermissions(
  guild: PermissionGuild,
  subject: PermissionSubject,
  overwrites: readonly APIOverwrite[] = [],
): bigint {
  if (subject.userId === guild.ownerId) return ALL_PERMISSIONS;
  let bits = guild.rolePermissions.get(guild.id) ?? 0n;
  for (const roleId of subject.roleIds) bits |= guild.rolePermissions.get(roleId) ?? 0n;
  if (hasAll(bits, PermissionFlagsBits.Administrator)) return ALL_PERMISSIONS;

  const apply = (allow: bigint, deny: bigint): void => {
    bits = (bits & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === guild.id);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && subject.roleIds.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  apply(roleAllow, roleDeny);
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === subject.userId);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));

  // Without View Channel a member implicitly loses every other channel permission.
  return hasAll(bits, PermissionFlagsBits.ViewChannel) ? bits : 0n;
}

/** Names of the flags in `required` that `bits` lacks, for error messages. */
export function missingNames(bits: bigint, required: bigint): PermissionName[] {
  return (Object.keys(PermissionFlagsBits) as PermissionName[]).filter((name) => {
    const bit = PermissionFlagsBits[name];
    return (required & bit) !== 0n && (bits & bit) === 0n;
  });
}
