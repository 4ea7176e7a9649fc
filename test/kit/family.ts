import { defineFamily, Family } from '../../src/core/family';

/**
 * A family for tests of the kit itself: any properties, read back as given, with any attributes; it may wait.
 * `resourceType` defaults to `Custom::CdkDevtoolsTest`.
 */
export function testFamily(resourceType = 'Custom::CdkDevtoolsTest'): Family<Record<string, unknown>, Record<string, unknown>, string> {
  return defineFamily<Record<string, unknown>>()({ resourceType, parse: props => props, attributes: [] as string[], waits: true });
}
