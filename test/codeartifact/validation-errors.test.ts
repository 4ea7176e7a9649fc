import { Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  Domain, PackageFormat, PackageGroup, PackageManager, PackageOriginControl, PackagePromotion, Repository,
} from '../../src/codeartifact';
import { ValidationError } from '../../src/core/validation';
import { testStack } from '../kit';

/** What `fn` threw (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
}

// Every synth-time error of the module is a ValidationError raised against the construct it is about (a static
// factory's against the scope it was given), so its message starts with that construct's path, once.
describe('CodeArtifact synth errors are ValidationErrors', () => {
  let stack: Stack;
  let domain: Domain;
  let team: Repository;
  beforeEach(() => {
    stack = testStack();
    domain = new Domain(stack, 'Domain', { domainName: 'acme' });
    team = domain.addRepository('Team', { repositoryName: 'team' });
  });

  test.each<[string, (s: Stack) => unknown, string, RegExp]>([
    ['Domain.fromDomainArn, a token ARN', s => Domain.fromDomainArn(s, 'Imported', new kms.Key(s, 'K').keyArn), 'TestStack/Imported',
      /^TestStack\/Imported: fromDomainArn needs a literal ARN to read the domain name from, got a token; use Domain\.fromDomainAttributes\(\) instead$/],
    ['Domain.fromDomainArn, another ARN', s => Domain.fromDomainArn(s, 'Imported', 'arn:aws:s3:eu-west-1:222222222222:domain/shared'), 'TestStack/Imported',
      /^TestStack\/Imported: 'arn:aws:s3:eu-west-1:222222222222:domain\/shared' is not a CodeArtifact domain ARN; expected /],
    ['Repository.fromRepositoryArn, a token ARN', s => Repository.fromRepositoryArn(s, 'Imported', new kms.Key(s, 'K').keyArn), 'TestStack/Imported',
      /^TestStack\/Imported: fromRepositoryArn needs a literal ARN to read the names from, got a token; use Repository\.fromRepositoryAttributes\(\)/],
    ['Repository.fromRepositoryArn, another ARN',
      s => Repository.fromRepositoryArn(s, 'Imported', 'arn:aws:codeartifact:eu-west-1:222222222222:domain/shared'), 'TestStack/Imported',
      /^TestStack\/Imported: '.*' is not a CodeArtifact repository ARN; expected /],
    ['PackageGroup.fromPackageGroupArn, another ARN',
      s => PackageGroup.fromPackageGroupArn(s, 'Imported', 'arn:aws:codeartifact:eu-west-1:222222222222:domain/acme'), 'TestStack/Imported',
      /^TestStack\/Imported: '.*' is not a CodeArtifact package group ARN; expected /],
    ['a repository name taken twice', s => new Repository(s, 'Again', { domain, repositoryName: 'team' }), 'TestStack/Again',
      /^TestStack\/Again: repositoryName 'team' is already the name of TestStack\/Domain\/Team/],
    ['a repository as its own upstream', () => team.addUpstream(team), 'TestStack/Domain/Team',
      /^TestStack\/Domain\/Team: a repository cannot be its own upstream; pass another repository of the domain$/],
    ['a package ARN without a format', () => team.packageArn({ packageName: 'ui' }), 'TestStack/Domain/Team',
      /^TestStack\/Domain\/Team: a package ARN with a namespace or package name needs a format$/],
    ['a login token shorter than 15 minutes', () => team.loginSettings(PackageManager.NPM, { tokenDuration: Duration.minutes(10) }),
      'TestStack/Domain/Team', /^TestStack\/Domain\/Team: invalid tokenDuration: 600 seconds is shorter than the 15 minutes CodeArtifact allows/],
    ['a package group pattern taken twice', s => {
      new PackageGroup(s, 'Internal', { domain, pattern: '/npm/acme/*' });
      return new PackageGroup(s, 'Group', { domain, pattern: '/npm/acme/*' });
    }, 'TestStack/Group', /^TestStack\/Group: the pattern '\/npm\/acme\/\*' is already the pattern of TestStack\/Internal/],
    ['a scoped namespace', s => new PackageOriginControl(s, 'Origin', { repository: team, format: PackageFormat.NPM, namespace: '@acme', packageName: 'ui' }),
      'TestStack/Origin', /^TestStack\/Origin: invalid namespace '@acme': CodeArtifact writes an npm scope without its '@'/],
    ['a promotion without versions', s => new PackagePromotion(s, 'Promotion', {
      source: team, destination: domain.addRepository('Release'), format: PackageFormat.NPM, namespace: 'acme', packageName: 'ui',
    }), 'TestStack/Promotion', /^TestStack\/Promotion: neither `versions` and `versionRevisions` given/],
  ])('%s', (_name, fn, path, message) => {
    const error = thrown(() => fn(stack));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe(path);
    expect((error as Error).message).toMatch(message);
  });
});
