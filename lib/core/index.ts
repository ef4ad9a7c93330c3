export * from './contracts';
export * from './module-interface';
// errors.ts and validate.ts stay internal: jsii cannot export a class that extends Error. Users
// recognise the library's validation errors by `error.name === 'ConstructValidationError'`.
export * from './unique-name';
