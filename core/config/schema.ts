/** JSON Schema of the config document, shared by every gate. */

const mode = { enum: ['enforce', 'warn', 'audit', 'off'] };
const ruleKey = '^MG-[A-Z]+(-[0-9]{3})?$';
const modes = {
  type: 'object',
  propertyNames: { pattern: ruleKey },
  additionalProperties: mode,
};
const strings = { type: 'array', items: { type: 'string', minLength: 1 } };
const name = { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$' };

const key = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name,
    publicKey: { type: 'string', minLength: 1 },
    publicKeyFile: { type: 'string', minLength: 1 },
  },
  oneOf: [{ required: ['publicKey'] }, { required: ['publicKeyFile'] }],
};

const authority = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'images'],
  properties: {
    name,
    images: { ...strings, minItems: 1 },
    keys: strings,
    identities: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['issuer', 'subject'],
        properties: {
          issuer: { type: 'string', minLength: 1 },
          subject: { type: 'string', minLength: 1 },
        },
      },
    },
  },
};

const registry = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: {
    host: { type: 'string', pattern: '^[a-zA-Z0-9.-]+(:[0-9]+)?$' },
    insecure: { type: 'boolean' },
    username: { type: 'string' },
    passwordEnv: { type: 'string' },
    passwordFile: { type: 'string' },
    tokenEnv: { type: 'string' },
    tokenFile: { type: 'string' },
  },
};

const exemption = {
  type: 'object',
  additionalProperties: false,
  // An exemption names where it applies: one without namespaces would be
  // a key to every namespace in the cluster.
  required: ['name', 'justification', 'approver', 'expires', 'namespaces'],
  properties: {
    name,
    justification: { type: 'string', minLength: 10 },
    approver: { type: 'string', minLength: 1 },
    expires: { type: 'string', minLength: 10 },
    rules: { type: 'array', items: { type: 'string', pattern: ruleKey } },
    namespaces: { ...strings, minItems: 1 },
  },
};

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'modelgate.io/v1alpha1' },
    kind: { const: 'ModelgateConfig' },
    failurePolicy: { enum: ['closed', 'open'] },
    defaultMode: mode,
    rules: modes,
    namespaces: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { modes, dataCustodian: { type: 'string', minLength: 1 } },
      },
    },
    modelDetection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        images: strings,
        accelerators: strings,
        env: strings,
        kinds: strings,
      },
    },
    trust: {
      type: 'object',
      additionalProperties: false,
      properties: {
        keys: { type: 'array', items: key },
        authorities: { type: 'array', items: authority },
      },
    },
    registries: { type: 'array', items: registry },
    verification: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // Below the webhook's 10 s timeout, so modelgate answers itself.
        timeoutMs: { type: 'integer', minimum: 100, maximum: 9000 },
        cacheTtlSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
      },
    },
    decommissionProcedures: { ...strings, minItems: 1 },
    exemptions: { type: 'array', items: exemption },
  },
} as const;
