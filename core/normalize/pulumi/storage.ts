/**
 * Cloud stores and keys: where model data can rest, whether `pulumi
 * destroy` takes it away, and what key could crypto-erase it.
 */
import type { CloudFacts, Retention } from '../types';
import {
  awsTags,
  bool,
  cloudObject,
  named,
  normalizeTags,
  num,
  obj,
  providerTags,
  refs,
  str,
  type Input,
} from './resource';
import type { Mapper } from './mappers';

type Encryption = CloudFacts['encryption'];

function gcpLabels(input: Input): Record<string, string> {
  const { value, resource } = input;
  return normalizeTags(
    ...providerTags(resource),
    value.effectiveLabels,
    value.labels,
  );
}

function retained(on: boolean | undefined, r: Retention): Retention[] {
  return on ? [r] : [];
}

const s3Bucket: Mapper = (input) => {
  const { value } = input;
  const bucket = str(value.bucket);
  const legacyLock = obj(value.objectLockConfiguration).objectLockEnabled;
  return cloudObject(input, {
    labels: awsTags(input),
    cloud: {
      role: 'bucket',
      tagsPath: 'tags',
      ids: named(input, 'bucket', 'id'),
      address: bucket ? { scheme: 's3', name: bucket } : undefined,
      forceDestroy: bool(value.forceDestroy),
      retention: [
        ...retained(bool(value.objectLockEnabled), {
          path: 'objectLockEnabled',
          what: 'object lock is enabled',
        }),
        ...retained(legacyLock === 'Enabled', {
          path: 'objectLockConfiguration',
          what: 'object lock is enabled',
        }),
      ],
      encryption: s3Encryption(value.serverSideEncryptionConfiguration),
      encryptionPath: 'serverSideEncryptionConfiguration',
    },
  });
};

function s3Encryption(config: unknown): Encryption {
  if (config === undefined) return undefined;
  const rules = [obj(obj(config).rule), ...listOf(obj(config).rules)];
  const byDefault = rules
    .map((r) => obj(r.applyServerSideEncryptionByDefault))
    .find((d) => str(d.sseAlgorithm));
  return {
    path: 'serverSideEncryptionConfiguration',
    customerManaged: str(byDefault?.kmsMasterKeyId) !== undefined,
  };
}

/** A bucket's encryption set by its own resource (provider v6 and later). */
const s3BucketEncryption: Mapper = (input) => {
  const rules = listOf(input.value.rules ?? input.value.rule);
  const keyed = rules.some(
    (r) =>
      str(obj(r.applyServerSideEncryptionByDefault).kmsMasterKeyId) !==
      undefined,
  );
  return cloudObject(input, {
    cloud: {
      role: 'encryption',
      ids: [],
      targets: refs(input, 'bucket'),
      encryption: { path: 'rules', customerManaged: keyed },
    },
  });
};

function listOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.map(obj);
  return value === undefined ? [] : [obj(value)];
}

const kmsEncrypted =
  (keyField: string, path = keyField): ((input: Input) => Encryption) =>
  (input) => {
    if (str(input.value[keyField])) return { path, customerManaged: true };
    if (bool(input.value.encrypted)) {
      return { path: 'encrypted', customerManaged: false };
    }
    return undefined;
  };

const ebsVolume: Mapper = (input) =>
  cloudObject(input, {
    labels: awsTags(input),
    cloud: {
      role: 'volume',
      tagsPath: 'tags',
      ids: named(input, 'id'),
      retention: retained(bool(input.value.finalSnapshot), {
        path: 'finalSnapshot',
        what: 'a final snapshot is taken when it is deleted',
      }),
      encryption: kmsEncrypted('kmsKeyId')(input),
      encryptionPath: 'kmsKeyId',
    },
  });

const efsFileSystem: Mapper = (input) =>
  cloudObject(input, {
    labels: awsTags(input),
    cloud: {
      role: 'filesystem',
      tagsPath: 'tags',
      ids: named(input, 'id'),
      encryption: kmsEncrypted('kmsKeyId')(input),
      encryptionPath: 'kmsKeyId',
    },
  });

const awsKey: Mapper = (input) =>
  cloudObject(input, {
    labels: awsTags(input),
    cloud: { role: 'key', tagsPath: 'tags', ids: named(input, 'keyId') },
  });

const gcsBucket: Mapper = (input) => {
  const { value } = input;
  const name = str(value.name);
  const retention = obj(value.retentionPolicy);
  const kms = str(obj(value.encryption).defaultKmsKeyName);
  return cloudObject(input, {
    labels: gcpLabels(input),
    cloud: {
      role: 'bucket',
      tagsPath: 'labels',
      ids: named(input, 'url', 'selfLink'),
      address: name ? { scheme: 'gs', name } : undefined,
      forceDestroy: bool(value.forceDestroy),
      retention: retained((num(retention.retentionPeriod) ?? 0) > 0, {
        path: 'retentionPolicy',
        what: 'a retention policy keeps its objects',
      }),
      encryption: kms
        ? { path: 'encryption', customerManaged: true }
        : undefined,
      encryptionPath: 'encryption',
    },
  });
};

const gcpDisk: Mapper = (input) => {
  const key = obj(input.value.diskEncryptionKey);
  const customer = ['kmsKeySelfLink', 'rawKey', 'rsaEncryptedKey'].some(
    (k) => str(key[k]) !== undefined,
  );
  return cloudObject(input, {
    labels: gcpLabels(input),
    cloud: {
      role: 'disk',
      tagsPath: 'labels',
      ids: named(input, 'selfLink'),
      encryption: customer
        ? { path: 'diskEncryptionKey', customerManaged: true }
        : undefined,
      encryptionPath: 'diskEncryptionKey',
    },
  });
};

const gcpKey: Mapper = (input) =>
  cloudObject(input, {
    labels: gcpLabels(input),
    cloud: { role: 'key', tagsPath: 'labels', ids: named(input, 'id') },
  });

const AZURE_CUSTOMER_KEYS = new Set([
  'EncryptionAtRestWithCustomerKey',
  'EncryptionAtRestWithPlatformAndCustomerKeys',
]);

const azureDisk: Mapper = (input) => {
  const encryption = obj(input.value.encryption);
  const customer =
    AZURE_CUSTOMER_KEYS.has(String(encryption.type)) ||
    str(encryption.diskEncryptionSetId) !== undefined;
  return cloudObject(input, {
    labels: normalizeTags(input.value.tags),
    cloud: {
      role: 'disk',
      tagsPath: 'tags',
      ids: named(input, 'diskName', 'id'),
      encryption: customer
        ? { path: 'encryption', customerManaged: true }
        : undefined,
      encryptionPath: 'encryption',
    },
  });
};

const azureStorageAccount: Mapper = (input) => {
  const encryption = obj(input.value.encryption);
  const immutable = obj(input.value.immutableStorageWithVersioning);
  const keyVault = String(encryption.keySource).toLowerCase();
  return cloudObject(input, {
    labels: normalizeTags(input.value.tags),
    cloud: {
      role: 'account',
      tagsPath: 'tags',
      ids: named(input, 'accountName', 'id'),
      retention: retained(bool(immutable.enabled), {
        path: 'immutableStorageWithVersioning',
        what: 'immutable storage is enabled',
      }),
      encryption:
        keyVault === 'microsoft.keyvault'
          ? { path: 'encryption', customerManaged: true }
          : undefined,
      encryptionPath: 'encryption',
    },
  });
};

const azureKey: Mapper = (input) =>
  cloudObject(input, {
    labels: normalizeTags(input.value.tags),
    cloud: { role: 'key', tagsPath: 'tags', ids: named(input, 'keyName') },
  });

export const storageMappers: Record<string, Mapper> = {
  'aws:s3/bucket:Bucket': s3Bucket,
  'aws:s3/bucketV2:BucketV2': s3Bucket,
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration':
    s3BucketEncryption,
  'aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2':
    s3BucketEncryption,
  'aws:ebs/volume:Volume': ebsVolume,
  'aws:efs/fileSystem:FileSystem': efsFileSystem,
  'aws:kms/key:Key': awsKey,
  'gcp:storage/bucket:Bucket': gcsBucket,
  'gcp:compute/disk:Disk': gcpDisk,
  'gcp:kms/cryptoKey:CryptoKey': gcpKey,
  'azure-native:compute:Disk': azureDisk,
  'azure-native:storage:StorageAccount': azureStorageAccount,
  'azure-native:keyvault:Key': azureKey,
};
