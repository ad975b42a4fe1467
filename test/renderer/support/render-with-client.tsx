// Renders a page inside the providers the app gives it.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { AdminUser } from '../../../relay/contract/api-types.js';
import type { RelayClient } from '../../../renderer/client/relay-client.js';
import { RelayClientContext, SessionContext } from '../../../renderer/hooks/relay-context.js';

export function renderWithClient(ui: ReactElement, client: RelayClient, user: AdminUser) {
  return render(
    <RelayClientContext value={client}>
      <SessionContext value={user}>{ui}</SessionContext>
    </RelayClientContext>,
  );
}
