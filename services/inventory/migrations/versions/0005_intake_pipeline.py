"""intake pipeline: manifests, templates, intake categories and products, vendor refs,
batch groups, intake jobs; items learn their purchase order, manifest row and batch group

``catalog_products`` is a read-model of catalog's products (``catalog.product.*``);
``product_profiles`` keep inventory's matching metadata keyed by catalog's product id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:49:07.842363
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_products',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=True),
    sa.Column('category', sa.String(length=220), nullable=True),
    sa.Column('base_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('synced_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_products'))
    )
    op.create_table('intake_categories',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=140), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('spec_template', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['intake_categories.id'], name=op.f('fk_intake_categories_parent_id_intake_categories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_categories'))
    )
    op.create_index(op.f('ix_intake_categories_parent_id'), 'intake_categories', ['parent_id'], unique=False)
    op.create_index('uq_intake_categories_name', 'intake_categories', [sa.literal_column('lower(name)')], unique=True)
    op.create_table('manifest_templates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=True),
    sa.Column('header_signature', sa.String(length=64), nullable=False),
    sa.Column('headers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('mappings', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_manifest_templates_vendor_id_vendors'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manifest_templates')),
    sa.UniqueConstraint('header_signature', name=op.f('uq_manifest_templates_header_signature'))
    )
    op.create_index(op.f('ix_manifest_templates_vendor_id'), 'manifest_templates', ['vendor_id'], unique=False)
    op.create_table('product_profiles',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=True),
    sa.Column('aliases', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('specs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('default_condition', sa.String(length=20), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['intake_categories.id'], name=op.f('fk_product_profiles_category_id_intake_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['catalog_products.id'], name=op.f('fk_product_profiles_product_id_catalog_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_profiles'))
    )
    op.create_index(op.f('ix_product_profiles_category_id'), 'product_profiles', ['category_id'], unique=False)
    op.create_table('batch_groups',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('condition', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'processed', 'checked_in')", name=op.f('ck_batch_groups_status_known')),
    sa.CheckConstraint('price IS NULL OR price >= 0', name=op.f('ck_batch_groups_price_not_negative')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_batch_groups_location_id_locations')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_batch_groups_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_batch_groups_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_groups'))
    )
    op.create_index('ix_batch_groups_order_status', 'batch_groups', ['order_id', 'status'], unique=False)
    op.create_index(op.f('ix_batch_groups_product_id'), 'batch_groups', ['product_id'], unique=False)
    op.create_index(op.f('ix_batch_groups_store_id'), 'batch_groups', ['store_id'], unique=False)
    op.create_table('intake_jobs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('batch_size', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f('ck_intake_jobs_status_known')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_intake_jobs_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_jobs'))
    )
    op.create_index(op.f('ix_intake_jobs_order_id'), 'intake_jobs', ['order_id'], unique=False)
    op.create_index('ix_intake_jobs_status', 'intake_jobs', ['status', 'created_at'], unique=False)
    op.create_index('uq_intake_jobs_active', 'intake_jobs', ['order_id'], unique=True, postgresql_where=sa.text("status IN ('queued', 'running')"))
    op.create_table('manifest_rows',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=True),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('upc', sa.String(length=14), nullable=True),
    sa.Column('vendor_sku', sa.String(length=80), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('retail_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('condition', sa.String(length=20), nullable=True),
    sa.Column('category', sa.String(length=140), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('specs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('ai_title', sa.String(length=300), nullable=True),
    sa.Column('ai_brand', sa.String(length=120), nullable=True),
    sa.Column('ai_model', sa.String(length=120), nullable=True),
    sa.Column('ai_specs', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('ai_cleaned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('match_status', sa.String(length=12), nullable=True),
    sa.Column('match_method', sa.String(length=12), nullable=True),
    sa.Column('match_score', sa.SmallInteger(), nullable=True),
    sa.Column('match_candidates', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('matched_product_id', sa.Uuid(), nullable=True),
    sa.Column('match_decision', sa.String(length=10), nullable=True),
    sa.Column('proposed_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('final_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('pricing_stage', sa.String(length=10), nullable=False),
    sa.CheckConstraint("pricing_stage IN ('unpriced', 'proposed', 'final')", name=op.f('ck_manifest_rows_pricing_stage_known')),
    sa.CheckConstraint('final_price IS NULL OR final_price >= 0', name=op.f('ck_manifest_rows_final_not_negative')),
    sa.CheckConstraint('proposed_price IS NULL OR proposed_price >= 0', name=op.f('ck_manifest_rows_proposed_not_negative')),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_manifest_rows_quantity_positive')),
    sa.CheckConstraint('retail_price IS NULL OR retail_price >= 0', name=op.f('ck_manifest_rows_retail_not_negative')),
    sa.CheckConstraint('unit_cost IS NULL OR unit_cost >= 0', name=op.f('ck_manifest_rows_cost_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_manifest_rows_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manifest_rows'))
    )
    op.create_index(op.f('ix_manifest_rows_matched_product_id'), 'manifest_rows', ['matched_product_id'], unique=False)
    op.create_index(op.f('ix_manifest_rows_upc'), 'manifest_rows', ['upc'], unique=False)
    op.create_index('uq_manifest_rows_order_row', 'manifest_rows', ['order_id', 'row_no'], unique=True)
    op.create_table('manifests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('file_type', sa.String(length=8), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=False),
    sa.Column('delimiter', sa.String(length=4), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('headers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('header_signature', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Uuid(), nullable=True),
    sa.Column('preview', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('mappings', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('standardized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('priced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finalized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('items_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_manifests_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['manifest_templates.id'], name=op.f('fk_manifests_template_id_manifest_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manifests')),
    sa.UniqueConstraint('order_id', name=op.f('uq_manifests_order_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_manifests_storage_key'))
    )
    op.create_index(op.f('ix_manifests_header_signature'), 'manifests', ['header_signature'], unique=False)
    op.create_table('product_upcs',
    sa.Column('upc', sa.String(length=14), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product_profiles.product_id'], name=op.f('fk_product_upcs_product_id_product_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('upc', name=op.f('pk_product_upcs'))
    )
    op.create_index(op.f('ix_product_upcs_product_id'), 'product_upcs', ['product_id'], unique=False)
    op.create_table('vendor_product_refs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('vendor_item_number', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product_profiles.product_id'], name=op.f('fk_vendor_product_refs_product_id_product_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_vendor_product_refs_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_product_refs'))
    )
    op.create_index(op.f('ix_vendor_product_refs_product_id'), 'vendor_product_refs', ['product_id'], unique=False)
    op.create_index('uq_vendor_product_refs_item', 'vendor_product_refs', ['vendor_id', sa.literal_column('upper(vendor_item_number)')], unique=True)
    op.create_table('manifest_raw_rows',
    sa.Column('manifest_id', sa.Uuid(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('cells', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['manifest_id'], ['manifests.id'], name=op.f('fk_manifest_raw_rows_manifest_id_manifests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('manifest_id', 'row_no', name=op.f('pk_manifest_raw_rows'))
    )
    op.add_column('items', sa.Column('purchase_order_id', sa.Uuid(), nullable=True))
    op.add_column('items', sa.Column('manifest_row_id', sa.BigInteger(), nullable=True))
    op.add_column('items', sa.Column('batch_group_id', sa.Uuid(), nullable=True))
    op.add_column('items', sa.Column('processing_tier', sa.String(length=12), server_default='individual', nullable=False))
    op.create_index(op.f('ix_items_batch_group_id'), 'items', ['batch_group_id'], unique=False)
    op.create_index(op.f('ix_items_purchase_order_id'), 'items', ['purchase_order_id'], unique=False)
    op.create_foreign_key(op.f('fk_items_batch_group_id_batch_groups'), 'items', 'batch_groups', ['batch_group_id'], ['id'], ondelete='SET NULL')
    op.create_foreign_key(op.f('fk_items_purchase_order_id_purchase_orders'), 'items', 'purchase_orders', ['purchase_order_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_items_purchase_order_id_purchase_orders'), 'items', type_='foreignkey')
    op.drop_constraint(op.f('fk_items_batch_group_id_batch_groups'), 'items', type_='foreignkey')
    op.drop_index(op.f('ix_items_purchase_order_id'), table_name='items')
    op.drop_index(op.f('ix_items_batch_group_id'), table_name='items')
    op.drop_column('items', 'processing_tier')
    op.drop_column('items', 'batch_group_id')
    op.drop_column('items', 'manifest_row_id')
    op.drop_column('items', 'purchase_order_id')
    op.drop_table('manifest_raw_rows')
    op.drop_index('uq_vendor_product_refs_item', table_name='vendor_product_refs')
    op.drop_index(op.f('ix_vendor_product_refs_product_id'), table_name='vendor_product_refs')
    op.drop_table('vendor_product_refs')
    op.drop_index(op.f('ix_product_upcs_product_id'), table_name='product_upcs')
    op.drop_table('product_upcs')
    op.drop_index(op.f('ix_manifests_header_signature'), table_name='manifests')
    op.drop_table('manifests')
    op.drop_index('uq_manifest_rows_order_row', table_name='manifest_rows')
    op.drop_index(op.f('ix_manifest_rows_upc'), table_name='manifest_rows')
    op.drop_index(op.f('ix_manifest_rows_matched_product_id'), table_name='manifest_rows')
    op.drop_table('manifest_rows')
    op.drop_index('uq_intake_jobs_active', table_name='intake_jobs', postgresql_where=sa.text("status IN ('queued', 'running')"))
    op.drop_index('ix_intake_jobs_status', table_name='intake_jobs')
    op.drop_index(op.f('ix_intake_jobs_order_id'), table_name='intake_jobs')
    op.drop_table('intake_jobs')
    op.drop_index(op.f('ix_batch_groups_store_id'), table_name='batch_groups')
    op.drop_index(op.f('ix_batch_groups_product_id'), table_name='batch_groups')
    op.drop_index('ix_batch_groups_order_status', table_name='batch_groups')
    op.drop_table('batch_groups')
    op.drop_index(op.f('ix_product_profiles_category_id'), table_name='product_profiles')
    op.drop_table('product_profiles')
    op.drop_index(op.f('ix_manifest_templates_vendor_id'), table_name='manifest_templates')
    op.drop_table('manifest_templates')
    op.drop_index('uq_intake_categories_name', table_name='intake_categories')
    op.drop_index(op.f('ix_intake_categories_parent_id'), table_name='intake_categories')
    op.drop_table('intake_categories')
    op.drop_table('catalog_products')
