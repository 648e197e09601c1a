// Edge checks for account inputs, with messages written for the person filling in the form.
import { invalidInput, type FieldError } from '../platform/errors.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './secrets.ts';
import { isRole, ROLES, type Role } from '../newsroom/permissions.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalEmail(raw: unknown, errors: FieldError[]): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email) errors.push({ field: 'email', message: 'Enter an email address.' });
  else if (email.length > 254 || !EMAIL.test(email)) errors.push({ field: 'email', message: 'Enter an email address like name@example.com.' });
  return email;
}

export function checkNewPassword(password: unknown, confirm: unknown, errors: FieldError[]): string {
  const value = typeof password === 'string' ? password : '';
  if (value.length < PASSWORD_MIN) errors.push({ field: 'password', message: `Choose a password of at least ${PASSWORD_MIN} characters.` });
  else if (value.length > PASSWORD_MAX) errors.push({ field: 'password', message: `A password is at most ${PASSWORD_MAX} characters.` });
  else if (confirm !== undefined && confirm !== value) errors.push({ field: 'confirm', message: 'The two passwords do not match.' });
  return value;
}

export function checkName(raw: unknown, errors: FieldError[], field = 'name'): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name || name.length > 100) errors.push({ field, message: 'Enter a name of 1 to 100 characters.' });
  return name;
}

export function checkRole(raw: unknown, errors: FieldError[]): Role {
  if (isRole(raw)) return raw;
  errors.push({ field: 'role', message: `Choose a role: ${ROLES.join(', ')}.` });
  return 'contributor';
}

export function throwIf(errors: FieldError[]): void {
  if (errors.length) throw invalidInput(errors);
}
