import { AllowPublish, AllowUpstream, CodeartifactClient, PackageFormat, PutPackageOriginConfigurationCommand } from '@aws-sdk/client-codeartifact';
import { codeArtifactFailure } from './errors';
import { isNotFound, logEvent, optionalString, requireString } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

interface OriginControl {
  readonly domain: string;
  readonly domainOwner: string;
  readonly repository: string;
  readonly format: string;
  readonly namespace?: string;
  readonly package: string;
  readonly publish: string;
  readonly upstream: string;
}

function parse(props: Record<string, any>): OriginControl {
  return {
    domain: requireString(props, 'Domain'),
    domainOwner: requireString(props, 'DomainOwner'),
    repository: requireString(props, 'Repository'),
    format: requireString(props, 'Format'),
    namespace: optionalString(props, 'Namespace'),
    package: requireString(props, 'Package'),
    publish: requireString(props, 'Publish'),
    upstream: requireString(props, 'Upstream'),
  };
}

/** One package in one repository: a different package is a different resource (replacement). */
function physicalId(c: OriginControl): string {
  return [c.domainOwner, c.domain, c.repository, c.format, c.namespace ?? '', c.package].join('/');
}

async function put(client: CodeartifactClient, c: OriginControl, publish: string, upstream: string): Promise<void> {
  await client.send(new PutPackageOriginConfigurationCommand({
    domain: c.domain,
    domainOwner: c.domainOwner,
    repository: c.repository,
    format: c.format as PackageFormat,
    namespace: c.namespace,
    package: c.package,
    restrictions: { publish: publish as AllowPublish, upstream: upstream as AllowUpstream },
  }));
}

/**
 * Sets the origin restrictions of one package (the package need not exist yet: CodeArtifact creates it
 * empty). An update changes them in place; a different package replaces the resource. CodeArtifact has no
 * way to remove a package's origin configuration short of deleting the package and every version, so
 * Delete resets it to ALLOW/ALLOW, the setting of a package that was never configured.
 */
export async function onOriginControlEvent(client: CodeartifactClient, event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('package origin control', event);
  const control = parse(event.ResourceProperties);
  const id = physicalId(control);
  const subject = `package ${id}`;
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      if (event.RequestType === 'Update') {
        const old = parse(event.OldResourceProperties ?? {});
        if (physicalId(old) === id && old.publish === control.publish && old.upstream === control.upstream) {
          return { PhysicalResourceId: id };
        }
      }
      try {
        await put(client, control, control.publish, control.upstream);
      } catch (err) {
        throw codeArtifactFailure('Setting the package origin configuration', subject, err);
      }
      return { PhysicalResourceId: id };
    }
    case 'Delete': {
      try {
        await put(client, control, 'ALLOW', 'ALLOW');
      } catch (err) {
        if (isNotFound(err)) return { PhysicalResourceId: event.PhysicalResourceId }; // the repository or domain is gone
        throw codeArtifactFailure('Resetting the package origin configuration to ALLOW/ALLOW', subject, err);
      }
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
  }
}
