import { expect } from '@open-wc/testing';
import { SingleFlight } from '../../src/internal/single-flight.ts';

describe('SingleFlight', () => {
  it('shares one running task and starts a new one afterwards', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const task = () => new Promise<number>((resolve) => { runs++; release = () => resolve(runs); });
    const calls = Array.from({ length: 25 }, () => flight.run(task));
    expect(flight.busy).to.equal(true);
    release();
    expect(await Promise.all(calls)).to.deep.equal(Array(25).fill(1));
    expect(flight.busy).to.equal(false);
    const next = flight.run(task);
    release();
    expect(await next).to.equal(2);
  });
});
