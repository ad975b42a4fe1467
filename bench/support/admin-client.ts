// The few admin API calls the benchmarks need (contract section 5): sign in
// as the bootstrap admin and create API keys.
import type { CreatedApiKey, LoginResponse, Permission } from '../../relay/contract/api-types.js';

export class AdminClient {
  private constructor(readonly baseUrl: string, private readonly token: string) {}

  static async login(baseUrl: string, password: string, username = 'admin'): Promise<AdminClient> {
    const res = await fetch(`${baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`admin login answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as LoginResponse;
    return new AdminClient(baseUrl, body.token);
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async createKey(clientName: string, permissions: Permission[] = ['read']): Promise<CreatedApiKey> {
    const res = await this.request('POST', '/admin/api-keys', { clientName, permissions });
    if (res.status !== 201) throw new Error(`creating an API key answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as CreatedApiKey;
  }
}
