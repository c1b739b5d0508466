// A virtual authenticator in Chromium for the passkey browser tests (issue 23): the DevTools
// protocol's WebAuthn domain through playwright-core, so the page's navigator.credentials calls
// are answered by a software authenticator Chromium itself runs: a real browser, a real
// @simplewebauthn/browser, the real ceremony — only the hardware is simulated.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface VirtualAuthenticator {
  cdp: CDPSession;
  id: string;
  /** The credentials the authenticator holds (ids base64url, sign counts). */
  credentials(): Promise<Array<{ credentialId: string; isResidentCredential: boolean; signCount: number; userHandle?: string }>>;
  /** Whether the next ceremonies verify the user (false: the authenticator answers UV=0). */
  setUserVerified(v: boolean): Promise<void>;
  remove(): Promise<void>;
}

/** Adds a CTAP2 platform-like authenticator with resident keys and user verification to the page's target. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page, o: { transport?: 'internal' | 'usb'; uv?: boolean } = {}): Promise<VirtualAuthenticator> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: o.transport ?? 'internal',
      hasResidentKey: true, hasUserVerification: true, isUserVerified: o.uv ?? true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    id: authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
    async setUserVerified(v) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: v });
    },
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
