// What the supervisor pages show when the relay they talk to does not serve
// queues, agents and alerts (an older relay): a plain statement, not an error.
export function SupervisorUnavailable({ what }: { what: string }) {
  return (
    <div className="empty-state">
      <p className="empty-title">This relay does not provide {what}.</p>
      <p>Queues, agents and alerts need a relay version with the supervisor view.</p>
    </div>
  );
}
