/**
 * Identifier patterns of the CodeCatalyst API model, shared by the constraint table (synth-time checks) and the
 * handlers (which tell their physical ids from the provider framework's marker). A module of plain strings: the
 * handler bundles must not load the table's helpers, which import aws-cdk-lib.
 */

/** A space or project name (`NameString`). */
export const NAME_PATTERN = '^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$';

/** A dev environment, workflow or run id (`Uuid`). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
