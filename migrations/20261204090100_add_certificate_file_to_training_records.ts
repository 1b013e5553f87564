import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The certificate a person attached: a random name under the uploads folder, its sniffed type and size.
  // The name the person's device gave the file is not kept.
  await knex.schema.alterTable('training_records', (t) => {
    t.string('file_path').nullable();
    t.string('file_type').nullable();
    t.integer('file_size').nullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
