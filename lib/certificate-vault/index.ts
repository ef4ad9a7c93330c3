export * from './certificate-vault';
export * from './required-certificates';
