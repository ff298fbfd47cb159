/** The part of Stripe.js the patient's page uses (https://docs.stripe.com/js). */
export interface CardElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

export interface StripeResult {
  paymentIntent?: { status: string };
  error?: { message?: string; code?: string };
}

export interface StripeClient {
  elements(): { create(type: 'card'): CardElement };
  confirmCardPayment(clientSecret: string, data: { payment_method: { card: CardElement } }): Promise<StripeResult>;
}

type StripeFactory = (publishableKey: string) => StripeClient;

const scripts = new Map<string, Promise<StripeFactory>>();

/**
 * Stripe.js from where the server says (its configuration: Stripe's own in production, a local fake in tests), loaded
 * only once someone has a fee to pay; the Content-Security-Policy admits that one origin. Stripe asks that its script
 * be loaded from its address rather than bundled, so that card data never passes through this app.
 */
export function loadStripe(scriptUrl: string, publishableKey: string): Promise<StripeClient> {
  let loading = scripts.get(scriptUrl);
  if (!loading) {
    loading = new Promise<StripeFactory>((resolve, reject) => {
      const script = Object.assign(document.createElement('script'), { src: scriptUrl, async: true });
      script.addEventListener('load', () => {
        const factory = (window as unknown as { Stripe?: StripeFactory }).Stripe;
        if (factory) resolve(factory);
        else reject(new Error('Stripe.js loaded without Stripe()'));
      });
      script.addEventListener('error', () => {
        scripts.delete(scriptUrl);
        script.remove();
        reject(new Error(`Stripe.js could not be loaded from ${scriptUrl}`));
      });
      document.head.append(script);
    });
    scripts.set(scriptUrl, loading);
  }
  return loading.then(factory => factory(publishableKey));
}
