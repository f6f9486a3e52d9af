export * from './profile-provider/index.js';
