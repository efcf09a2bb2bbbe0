/** Manifest media types a registry may answer with, in order of preference. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_LIST =
  'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST =
  'application/vnd.docker.distribution.manifest.v2+json';

/** The Accept header for manifest requests: every type we can read. */
export const MANIFEST_ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
].join(', ');
