/**
 * Readiness that tells the truth: ready only while every named dependency is up and the process is not
 * draining. The gRPC health service mirrors it, so Kubernetes stops sending traffic the moment Redis or
 * NATS drops, and again during shutdown.
 */
export class Readiness {
  private readonly dependencies = new Map<string, boolean>();
  private draining = false;
  private readonly listeners = new Set<(ready: boolean) => void>();

  /** Declares a dependency, initially down. */
  require(name: string): void {
    if (!this.dependencies.has(name)) this.dependencies.set(name, false);
    this.notify();
  }

  set(name: string, up: boolean): void {
    if (this.dependencies.get(name) === up) return;
    this.dependencies.set(name, up);
    this.notify();
  }

  drain(): void {
    this.draining = true;
    this.notify();
  }

  /** Whether one dependency is up. */
  isUp(name: string): boolean {
    return this.dependencies.get(name) === true;
  }

  get ready(): boolean {
    if (this.draining) return false;
    for (const up of this.dependencies.values()) if (!up) return false;
    return true;
  }

  /** Names of dependencies that are down, for logs and error messages. */
  get down(): string[] {
    return [...this.dependencies].filter(([, up]) => !up).map(([name]) => name);
  }

  onChange(listener: (ready: boolean) => void): () => void {
    this.listeners.add(listener);
    listener(this.ready);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    const ready = this.ready;
    for (const listener of this.listeners) listener(ready);
  }
}
