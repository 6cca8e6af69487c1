import { CORE_USER, ENTERPRISE_USER, FIRSTKEY_USER } from '@/lib/scim/resource';
import { SCIM_MAX_RESULTS } from '@/lib/scim/policy';

// The discovery endpoints (RFC 7644 §4): what this service provider supports, so a client can
// configure itself. Users only; PATCH yes; bulk, sort, changePassword and ETags (If-Match) no.

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function serviceProviderConfig(base: string) {
  return {
    schemas: [CONFIG],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'The token of a SCIM connection IT created (console or firstkey scim token create)',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

function userResourceType(base: string) {
  return {
    schemas: [RESOURCE_TYPE],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A person Firstkey enrolls',
    schema: CORE_USER,
    schemaExtensions: [
      { schema: ENTERPRISE_USER, required: false },
      { schema: FIRSTKEY_USER, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  };
}

type Attribute = {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readWrite' | 'immutable' | 'readOnly';
  uniqueness?: 'none' | 'server';
  description: string;
  subAttributes?: Attribute[];
};

function attribute(spec: Attribute): Record<string, unknown> {
  return {
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...spec,
    ...(spec.subAttributes ? { subAttributes: spec.subAttributes.map(attribute) } : {}),
  };
}

const SCHEMAS = [
  {
    id: CORE_USER,
    name: 'User',
    description: 'The core User attributes Firstkey keeps; others are accepted and ignored',
    attributes: [
      {
        name: 'userName',
        type: 'string',
        required: true,
        uniqueness: 'server',
        description: 'Unique, case-insensitive; usually the work email',
      },
      { name: 'externalId', type: 'string', caseExact: true, description: "The IdP's own id" },
      {
        name: 'name',
        type: 'complex',
        description: 'The person’s name',
        subAttributes: [
          { name: 'formatted', type: 'string', description: 'The full name' },
          { name: 'givenName', type: 'string', description: 'Given name' },
          { name: 'familyName', type: 'string', description: 'Family name' },
        ],
      },
      { name: 'displayName', type: 'string', description: 'The name people see' },
      {
        name: 'emails',
        type: 'complex',
        multiValued: true,
        description: 'The work email (the primary, else type "work", else the first)',
        subAttributes: [
          { name: 'value', type: 'string', description: 'The address' },
          { name: 'type', type: 'string', description: '"work"' },
          { name: 'primary', type: 'boolean', description: 'Always true' },
        ],
      },
      {
        name: 'active',
        type: 'boolean',
        description: 'false: the person leaves (every way in is closed); true again: reactivated',
      },
    ],
  },
  {
    id: ENTERPRISE_USER,
    name: 'EnterpriseUser',
    description: 'Enterprise User (RFC 7643 §4.3)',
    attributes: [
      {
        name: 'employeeNumber',
        type: 'string',
        mutability: 'immutable',
        caseExact: true,
        uniqueness: 'server',
        description: 'Firstkey’s employee id (else externalId is used); cannot change once set',
      },
      { name: 'department', type: 'string', description: 'Department' },
      {
        name: 'manager',
        type: 'complex',
        description: 'The manager, by their SCIM id',
        subAttributes: [
          { name: 'value', type: 'string', description: 'The manager’s id' },
          {
            name: 'displayName',
            type: 'string',
            mutability: 'readOnly',
            description: 'The manager’s name',
          },
        ],
      },
    ],
  },
  {
    id: FIRSTKEY_USER,
    name: 'FirstkeyUser',
    description: 'Firstkey’s own attributes',
    attributes: [
      {
        name: 'startDate',
        type: 'string',
        description: 'First working day, YYYY-MM-DD (default on create: today)',
      },
      {
        name: 'enrollmentState',
        type: 'string',
        mutability: 'readOnly',
        description: 'awaiting_device, ready, invited, opened, enrolling, enrolled, … offboarded',
      },
    ],
  },
] as const;

function schemaDocument(base: string, schema: (typeof SCHEMAS)[number]) {
  return {
    schemas: [SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: (schema.attributes as readonly Attribute[]).map(attribute),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

function list(resources: unknown[]) {
  return {
    schemas: [LIST],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}

/** The discovery document at `segments` (after /scim/v2), or null for none. */
export function discoveryDocument(base: string, segments: string[]): unknown | null {
  const [first, second, ...rest] = segments;
  if (rest.length > 0) return null;
  if (first === 'ServiceProviderConfig' && second === undefined) return serviceProviderConfig(base);
  if (first === 'ResourceTypes') {
    if (second === undefined) return list([userResourceType(base)]);
    return second === 'User' ? userResourceType(base) : null;
  }
  if (first === 'Schemas') {
    if (second === undefined) return list(SCHEMAS.map((schema) => schemaDocument(base, schema)));
    const schema = SCHEMAS.find((candidate) => candidate.id === second);
    return schema ? schemaDocument(base, schema) : null;
  }
  return null;
}

export const LIST_RESPONSE = LIST;
