/**
 * Sequelize 6 writes `upsert`'s `conflictFields` into the SQL unmapped, so they must be column names
 * (`user_id`), although its types ask for attribute names (`userId`). This is the one place that bridges the two.
 */
export function conflictColumns<Attribute extends string>(...columns: string[]): Attribute[] {
  return columns as Attribute[];
}
