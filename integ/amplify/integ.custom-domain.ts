/**
 * A manual-deploy app (no repository) whose branch is served at a custom domain, at the domain itself and at `www`,
 * with the DNS records Amplify asks for as stack outputs (a "records" readiness resource reads them at deploy time).
 *
 * Deploying it needs a domain you control in place of the example one; the outputs are the records to create at
 * your DNS provider. It does not wait for the domain to become AVAILABLE (that needs the records in place).
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import * as amplify from '../../src/amplify';
import { integApp, integTest } from '../support';

const DOMAIN = 'cdk-devtools-domain.example.com';

const app = integApp();
const stack = new Stack(app, 'AmplifyCustomDomain');
const site = new amplify.App(stack, 'Site', { appName: 'custom-domain-site' });
const main = site.addBranch('main', { stage: amplify.Stage.PRODUCTION });
const domain = site.addDomain('Domain', { domainName: DOMAIN, createOutputs: true });
domain.mapRoot(main);
domain.mapSubDomain(main, 'www');

const integ = integTest(app, 'AmplifyCustomDomainTest', [stack]);
integ.assertions.awsApiCall('Amplify', 'getDomainAssociation', { appId: site.appId, domainName: DOMAIN })
  .expect(ExpectedResult.objectLike({
    domainAssociation: {
      domainName: DOMAIN,
      subDomains: Match.arrayWith([
        Match.objectLike({ subDomainSetting: { prefix: '', branchName: 'main' }, dnsRecord: Match.stringLikeRegexp('CNAME') }),
        Match.objectLike({ subDomainSetting: { prefix: 'www', branchName: 'main' }, dnsRecord: Match.stringLikeRegexp('CNAME') }),
      ]),
    },
  }));
