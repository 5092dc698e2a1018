/**
 * Acme HR's data: one company and its employees, in memory, seeded the same way every start.
 * @module
 */

export interface Company {
  id: string;
  name: string;
  region: string;
}

export interface Employee {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  department: string;
}

export interface NewEmployee {
  firstName: string;
  lastName: string;
  email?: string;
  title?: string;
  department?: string;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Ritchie',
];
const TITLES = ['Engineer', 'Designer', 'Recruiter', 'Accountant', 'Product Manager'];
const DEPARTMENTS = ['Engineering', 'Design', 'People', 'Finance', 'Product'];

export const SEEDED_EMPLOYEES = 57;

export class Directory {
  readonly company: Company = { id: 'co_acme', name: 'Acme Corporation', region: 'eu-west' };
  readonly #employees = new Map<string, Employee>();
  #next = 1;

  constructor(seed = SEEDED_EMPLOYEES) {
    for (let i = 0; i < seed; i++) {
      const firstName = FIRST[i % FIRST.length] as string;
      const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
      this.add({
        firstName,
        lastName,
        email: `${firstName}.${lastName}${i}@acme.example`.toLowerCase(),
        title: TITLES[i % TITLES.length] as string,
        department: DEPARTMENTS[i % DEPARTMENTS.length] as string,
      });
    }
  }

  add(input: NewEmployee): Employee {
    const id = `emp_${String(this.#next++).padStart(4, '0')}`;
    const employee: Employee = {
      id,
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email ?? `${input.firstName}.${input.lastName}@acme.example`.toLowerCase(),
      title: input.title ?? 'Employee',
      department: input.department ?? 'General',
    };
    this.#employees.set(id, employee);
    return employee;
  }

  get(id: string): Employee | undefined {
    return this.#employees.get(id);
  }

  /** A page of employees in id order. */
  list(page: number, limit: number): { data: Employee[]; total: number } {
    const all = [...this.#employees.values()];
    return { data: all.slice((page - 1) * limit, page * limit), total: all.length };
  }
}
