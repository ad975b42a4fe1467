// API keys: the new key is shown once with a copy button and a warning, is
// gone from the page once the dialog closes, and revoking asks first.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiKeysPage } from '../../renderer/pages/api-keys-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const admin = { username: 'admin', role: 'admin' as const };

describe('ApiKeysPage', () => {
  let writeText: ReturnType<typeof vi.fn<(text: string) => Promise<void>>>;
  beforeEach(() => {
    writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });
  afterEach(() => {
    cleanup();
    Reflect.deleteProperty(navigator, 'clipboard');
  });

  it('reveals a new key once, copies it, and forgets it on close', async () => {
    const client = new InMemoryRelayClient(admin);
    renderWithClient(<ApiKeysPage />, client, admin);
    await screen.findByText('No API keys yet.');

    fireEvent.change(screen.getByLabelText('Client name'), { target: { value: 'CRM screen-pop' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /control/ }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create key' })));

    const dialog = await screen.findByRole('dialog', { name: 'API key for CRM screen-pop' });
    const secret = client.keys[0]!.secret;
    const field = within(dialog).getByLabelText<HTMLInputElement>('New API key');
    expect(field.value).toBe(secret);
    expect(field.readOnly).toBe(true);
    expect(document.activeElement).toBe(field);
    expect(within(dialog).getByRole('note').textContent).toMatch(/not be shown again/);
    expect(client.log.find((l) => l.op === 'createApiKey')?.args).toEqual(['CRM screen-pop', ['read', 'control']]);

    await act(async () => within(dialog).getByRole('button', { name: 'Copy key' }).click());
    expect(writeText).toHaveBeenCalledWith(secret);
    expect(within(dialog).getByText('Copied to the clipboard.')).toBeTruthy();

    act(() => within(dialog).getByRole('button', { name: 'I have saved the key' }).click());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.innerHTML).not.toContain(secret);
    // The listed key shows its name and usage, never the secret.
    const row = await screen.findByRole('row', { name: /CRM screen-pop/ });
    expect(within(row).getByText('read, control')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(secret);
  });

  it('closes the reveal with Escape as well', async () => {
    const client = new InMemoryRelayClient(admin);
    renderWithClient(<ApiKeysPage />, client, admin);
    fireEvent.change(await screen.findByLabelText('Client name'), { target: { value: 'wallboard' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create key' })));
    const dialog = await screen.findByRole('dialog');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.innerHTML).not.toContain(client.keys[0]!.secret);
  });

  it('says that permissions are independent: control does not include read', async () => {
    const client = new InMemoryRelayClient(admin);
    renderWithClient(<ApiKeysPage />, client, admin);
    await screen.findByLabelText('Client name');
    expect(screen.getByText(/control-only key .* cannot list them or read call records/)).toBeTruthy();
  });

  it('refuses to create a key without permissions', async () => {
    const client = new InMemoryRelayClient(admin);
    renderWithClient(<ApiKeysPage />, client, admin);
    fireEvent.change(await screen.findByLabelText('Client name'), { target: { value: 'nothing' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /read/ }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create key' })));
    expect(screen.getByRole('alert').textContent).toBe('Choose at least one permission.');
    expect(client.keys).toHaveLength(0);
  });

  it('revokes a key after confirmation', async () => {
    const client = new InMemoryRelayClient(admin);
    await client.createApiKey('script', ['read']);
    renderWithClient(<ApiKeysPage />, client, admin);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke key script' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke the key for script?' });
    expect(client.keys[0]!.active).toBe(true);
    await act(async () => within(confirm).getByRole('button', { name: 'Revoke key' }).click());
    await waitFor(() => expect(screen.getByText('Revoked')).toBeTruthy());
    expect(client.keys[0]!.active).toBe(false);
    expect(screen.queryByRole('button', { name: 'Revoke key script' })).toBeNull();
  });
});
